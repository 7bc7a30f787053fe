/// Cuts a YAML stream, line by line, into pieces that can be composed one at a time: documents, and for
/// a document whose root holds an `items:` block sequence (a `kind: List`, as must-gather and
/// `kubectl get -o yaml` write them) the root's other keys and each item on its own.
///
/// Input as must-gather writes `namespaces/<ns>/core/pods.yaml`:
///
///     apiVersion: v1
///     items:
///     - apiVersion: v1
///       kind: Pod
///       metadata:
///         name: web-5d9
///     - apiVersion: v1
///       kind: Pod
///     kind: List
///     metadata:
///       resourceVersion: ""
///
/// gives `.listStart` (the lines before `items:`), one `.item` per `- ` line at the sequence's
/// indentation (with every following line that is blank, a comment or indented deeper: YAML requires
/// that of every line inside an item, block scalars and wrapped strings included), then `.listEnd`
/// (the lines after the items). Documents end at `---` and `...` lines, which YAML forbids at the start
/// of a line inside content. So memory holds one item or one other document, not the whole file.
///
/// A piece longer than `maxBytes` is not kept: it comes with `overflowed` set and its size, to be
/// reported and passed over.
struct YAMLChunker {
    /// Lines of the stream, from `firstLine` on, joined with newlines.
    struct Chunk {
        var bytes: [UInt8] = []
        /// The line of the first byte (0 while the chunk is empty).
        var firstLine = 0
        /// Bytes the chunk's lines hold, with newlines, kept or not.
        var size = 0
        /// The chunk grew past `maxBytes`: `bytes` was dropped.
        var overflowed = false
        /// Some line in it is more than blank, a comment or a directive.
        var hasContent = false
    }

    enum Piece {
        /// A document (or several) to compose whole.
        case document(Chunk)
        /// A document's root keys before its `items:` sequence, and the line of `items:`.
        case listStart(head: Chunk, itemsLine: Int)
        /// One item of the sequence: its `- ` line and the lines under it.
        case item(Chunk)
        /// The root keys after the sequence; the document ends.
        case listEnd(tail: Chunk)
    }

    private enum Mode {
        case document
        /// `items:` was read at the root; the next content line tells whether a block sequence follows.
        case awaitingItems(itemsLine: Int, itemsText: [UInt8])
        /// Inside the sequence, whose `- ` lines are indented this much.
        case items(indent: Int)
        case tail
    }

    let maxBytes: Int
    private var mode = Mode.document
    /// The document (document mode), the head (awaiting items), the current item, or the tail.
    private var current = Chunk()
    /// Blank and comment lines after `items:`, before its first entry.
    private var waiting = Chunk()

    init(maxBytes: Int) {
        self.maxBytes = maxBytes
    }

    /// Takes the next line; returns the pieces it completes.
    mutating func add(_ line: UnsafeRawBufferPointer, number: Int) -> [Piece] {
        if Self.isDocumentMarker(line) {
            var pieces: [Piece] = []
            if case .document = mode, !current.hasContent {
                // Directives, comments or an empty document before the marker: they go with the next one.
            } else {
                pieces = finishDocument()
            }
            if line[0] == .dash {
                // `---` begins the next document and stays in it (it may carry content: `--- |`).
                let hadContent = current.hasContent
                Self.append(line, number, to: &current, maxBytes)
                current.hasContent = hadContent || !Self.isBlankOrComment(line.slice(3..<line.count))
            }
            return pieces
        }
        switch mode {
        case .document:
            if Self.isRootItemsKey(line) {
                mode = .awaitingItems(itemsLine: number, itemsText: Array(line))
                waiting = Chunk()
                return []
            }
            Self.append(line, number, to: &current, maxBytes)
            return []
        case .awaitingItems(let itemsLine, let itemsText):
            if Self.isBlankOrComment(line) {
                Self.append(line, number, to: &waiting, maxBytes)
                return []
            }
            if let indent = Self.entryIndent(line) {
                let head = current
                current = waiting
                waiting = Chunk()
                Self.append(line, number, to: &current, maxBytes)
                mode = .items(indent: indent)
                return [.listStart(head: head, itemsLine: itemsLine)]
            }
            // Not a block sequence: the document is read whole after all.
            itemsText.withUnsafeBytes { Self.append($0, itemsLine, to: &current, maxBytes) }
            Self.merge(waiting, into: &current, maxBytes)
            waiting = Chunk()
            Self.append(line, number, to: &current, maxBytes)
            mode = .document
            return []
        case .items(let indent):
            if Self.isBlankOrComment(line) || Self.indentation(line) > indent {
                Self.append(line, number, to: &current, maxBytes)
                return []
            }
            let item = current
            current = Chunk()
            Self.append(line, number, to: &current, maxBytes)
            if Self.entryIndent(line) == indent { return [.item(item)] }
            mode = .tail
            return [.item(item)]
        case .tail:
            Self.append(line, number, to: &current, maxBytes)
            return []
        }
    }

    /// Ends the stream: the pieces still open.
    mutating func finish() -> [Piece] {
        finishDocument()
    }

    private mutating func finishDocument() -> [Piece] {
        defer {
            mode = .document
            current = Chunk()
            waiting = Chunk()
        }
        switch mode {
        case .document:
            return current.hasContent || current.size > 0 ? [.document(current)] : []
        case .awaitingItems(let itemsLine, let itemsText):
            itemsText.withUnsafeBytes { Self.append($0, itemsLine, to: &current, maxBytes) }
            Self.merge(waiting, into: &current, maxBytes)
            return [.document(current)]
        case .items:
            return [.item(current), .listEnd(tail: Chunk())]
        case .tail:
            return [.listEnd(tail: current)]
        }
    }

    // MARK: - Items

    /// The `kind` of a List item, read from its lines without composing it: the value of the one
    /// `kind:` key at the item's own indentation (on the `- ` line or below it), when it is plain or
    /// simply quoted. Nil when there is no such key, more than one, or a value that needs YAML to read.
    ///
    ///     - apiVersion: v1          - kind: ConfigMap
    ///       data: …                   metadata: …
    ///       kind: ConfigMap
    static func itemKind(_ item: [UInt8]) -> String? {
        item.withUnsafeBytes { b -> String? in
            var kind: String?
            var columns = ItemColumns()
            var start = 0
            while start < b.count {
                let end = b.firstIndex(of: .newline, from: start) ?? b.count
                let line = b.slice(start..<end)
                start = end + 1
                if isBlankOrComment(line) { continue }
                guard let found = columns.column(of: line) else { return nil }
                guard let keyAt = found else { continue }  // a lone `-`: the next line sets the column
                guard let keys = columns.keys, keyAt >= keys else { return nil }
                guard keyAt == keys else { continue }
                guard line.matches("kind:", at: keyAt), keyAt + 5 < line.count,
                      line[keyAt + 5] == .space || line[keyAt + 5] == .tab
                else {
                    if line.matches("kind:", at: keyAt) { return nil }  // a value on the lines below, or no key at all
                    continue
                }
                guard kind == nil, let value = simpleScalar(line.slice((keyAt + 5)..<line.count)) else { return nil }
                kind = value
            }
            return kind
        }
    }

    /// The item with the lines of its `metadata.managedFields` value left empty (the key stays, its
    /// value reads as null), so Yams does not compose what the builder passes over unread (a third of a
    /// pod as the API server returns it). The lines keep their numbers. The value is every following
    /// line that is blank, a comment, indented deeper than the key, or a `- ` entry at the key's column
    /// (Go's YAML writes a mapping's sequences there).
    ///
    ///     - apiVersion: v1                  - apiVersion: v1
    ///       metadata:                         metadata:
    ///         managedFields:          →         managedFields:
    ///         - apiVersion: v1
    ///           fieldsType: FieldsV1
    ///         name: web-5d9                     name: web-5d9
    static func withoutManagedFields(_ item: [UInt8]) -> [UInt8] {
        item.withUnsafeBytes { b -> [UInt8] in
            var out: [UInt8] = []
            out.reserveCapacity(b.count)
            var columns = ItemColumns()
            var metadata = false  // inside the item's `metadata:`
            var metadataKeys: Int?  // the column of metadata's keys
            var blanking: Int?  // the column of `managedFields:` while its value is left out
            var start = 0
            var first = true
            while start <= b.count {
                let end = b.firstIndex(of: .newline, from: start) ?? b.count
                let line = b.slice(start..<end)
                start = end + 1
                if !first { out.append(.newline) }
                first = false
                if let column = blanking {
                    let indent = indentation(line)
                    if isBlankOrComment(line) || indent > column || (indent == column && entryIndent(line) == column) {
                        continue
                    }
                    blanking = nil
                }
                out.append(contentsOf: line)
                if isBlankOrComment(line) { continue }
                guard let found = columns.column(of: line) else { return item }
                guard let column = found, let keys = columns.keys else { continue }  // a lone `-`
                if column == keys {
                    metadata = isKeyAlone("metadata:", line, at: column)
                    metadataKeys = nil
                } else if metadata, column > keys {
                    if metadataKeys == nil { metadataKeys = column }
                    if column == metadataKeys, isKeyAlone("managedFields:", line, at: column) { blanking = column }
                }
            }
            return out
        }
    }

    /// Follows an item's lines to tell where each line's content starts and where the item's own keys
    /// are: on the `- ` line after the dash, or (after a lone `-`) at the next line's indentation.
    private struct ItemColumns {
        private(set) var keys: Int?
        private var sawEntry = false

        /// The column of a content line's first character; nil when the item does not start with a
        /// `- ` line; `.some(nil)` for a lone `-`.
        mutating func column(of line: UnsafeRawBufferPointer) -> Int?? {
            guard sawEntry else {
                guard let dash = entryIndent(line) else { return nil }
                sawEntry = true
                let column = line.skipSpaces(from: dash + 1)
                if column == line.count { return .some(nil) }
                keys = column
                return column
            }
            let column = indentation(line)
            if keys == nil { keys = column }
            return column
        }
    }

    /// `key` (with its colon) at `column`, followed by nothing but spaces.
    private static func isKeyAlone(_ key: StaticString, _ line: UnsafeRawBufferPointer, at column: Int) -> Bool {
        line.matches(key, at: column) && line.skipSpaces(from: column + key.utf8CodeUnitCount) == line.count
    }

    /// A plain or quoted scalar with nothing YAML would read differently: no escapes, anchors, tags,
    /// flow or block indicators; a trailing comment allowed.
    private static func simpleScalar(_ b: UnsafeRawBufferPointer) -> String? {
        var i = b.skipSpaces(from: 0)
        guard i < b.count else { return nil }
        let quote = b[i]
        if quote == .quote || quote == UInt8(ascii: "'") {
            i += 1
            let start = i
            while i < b.count, b[i] != quote, b[i] != .backslash { i += 1 }
            guard i < b.count, b[i] == quote, i > start else { return nil }
            let rest = b.skipSpaces(from: i + 1)
            guard rest == b.count || b[rest] == UInt8(ascii: "#") else { return nil }
            return b.string(start..<i)
        }
        let start = i
        while i < b.count, b[i].isDigit || (b[i] | 0x20 >= UInt8(ascii: "a") && b[i] | 0x20 <= UInt8(ascii: "z")) { i += 1 }
        guard i > start else { return nil }
        let rest = b.skipSpaces(from: i)
        guard rest == b.count || (rest > i && b[rest] == UInt8(ascii: "#")) else { return nil }
        return b.string(start..<i)
    }

    // MARK: - Lines

    private static func append(_ line: UnsafeRawBufferPointer, _ number: Int, to chunk: inout Chunk, _ maxBytes: Int) {
        if chunk.firstLine == 0 { chunk.firstLine = number }
        chunk.size += line.count + 1
        if !chunk.hasContent, !isBlankOrComment(line), line.first != UInt8(ascii: "%") { chunk.hasContent = true }
        guard !chunk.overflowed else { return }
        if chunk.size > maxBytes {
            chunk.overflowed = true
            chunk.bytes = []
            return
        }
        // A chunk's lines are consecutive, so its bytes keep the stream's line numbering.
        if number > chunk.firstLine { chunk.bytes.append(.newline) }
        chunk.bytes.append(contentsOf: line)
    }

    private static func merge(_ other: Chunk, into chunk: inout Chunk, _ maxBytes: Int) {
        guard other.size > 0 else { return }
        if chunk.firstLine == 0 { chunk.firstLine = other.firstLine }
        chunk.size += other.size
        chunk.hasContent = chunk.hasContent || other.hasContent
        guard !chunk.overflowed else { return }
        if other.overflowed || chunk.size > maxBytes {
            chunk.overflowed = true
            chunk.bytes = []
            return
        }
        if !chunk.bytes.isEmpty { chunk.bytes.append(.newline) }
        chunk.bytes.append(contentsOf: other.bytes)
    }

    /// `---` or `...`, alone or followed by a space or tab, at the start of a line.
    static func isDocumentMarker(_ b: UnsafeRawBufferPointer) -> Bool {
        guard b.count >= 3, b[0] == b[1], b[1] == b[2], b[0] == UInt8(ascii: "-") || b[0] == .dot else { return false }
        return b.count == 3 || b[3] == .space || b[3] == .tab
    }

    /// `items:` at the root with nothing after it but spaces or a comment.
    static func isRootItemsKey(_ b: UnsafeRawBufferPointer) -> Bool {
        guard b.matches("items:", at: 0) else { return false }
        let rest = b.skipSpaces(from: 6)
        return rest == b.count || b[rest] == UInt8(ascii: "#")
    }

    static func isBlankOrComment(_ b: UnsafeRawBufferPointer) -> Bool {
        let first = b.skipSpaces(from: 0)
        return first == b.count || b[first] == UInt8(ascii: "#")
    }

    static func indentation(_ b: UnsafeRawBufferPointer) -> Int {
        var i = 0
        while i < b.count, b[i] == .space { i += 1 }
        return i
    }

    /// The indentation of a block sequence entry (`- …` or a lone `-`), nil for any other line.
    static func entryIndent(_ b: UnsafeRawBufferPointer) -> Int? {
        let i = indentation(b)
        guard i < b.count, b[i] == .dash, i + 1 == b.count || b[i + 1] == .space || b[i + 1] == .tab else { return nil }
        return i
    }
}
