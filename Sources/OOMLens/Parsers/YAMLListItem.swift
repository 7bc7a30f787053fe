/// Follows one item of a `kind: List` line by line as `YAMLChunker` cuts it, so that nothing walks the
/// item's lines again: it tells the item's `kind`, and which lines hold its `metadata.managedFields`
/// value, which are left out of the item (a third of a pod as the API server returns it, and never
/// read by the builder).
///
/// Lines as must-gather writes them, and what is left of them:
///
///     - apiVersion: v1                  - apiVersion: v1
///       kind: Pod                         kind: Pod
///       metadata:                         metadata:
///         managedFields:          →         managedFields:
///         - apiVersion: v1
///           fieldsType: FieldsV1
///         name: web-5d9                     name: web-5d9
///
/// The `kind` is the value of the one `kind:` key at the item's own column (on the `- ` line or below
/// it), when it is plain or simply quoted; none when there is no such key, more than one, or a value
/// that needs YAML to read. `managedFields`'s value is every line after metadata's own
/// `managedFields:` key (alone on its line) that is blank, a comment, indented deeper than the key, or a
/// `- ` entry at the key's column (Go's YAML writes a mapping's sequences there); the key stays, its
/// value then reads as null, and the left-out lines stay as empty lines so that lines keep their numbers.
struct YAMLListItem {
    private var columns = ItemColumns()
    /// The item's first content line is not a `- ` entry: nothing is left out, and there is no kind.
    private var notAnEntry = false
    /// The `kind` found so far; `unreadable` once there is no single plain one.
    private var found = Found.none
    private var inMetadata = false  // inside the item's `metadata:`
    private var metadataKeys: Int?  // the column of metadata's keys
    private var leavingOut: Int?  // the column of `managedFields:` while its value is left out

    private enum Found {
        case none
        case kind(String)
        case unreadable
    }

    /// The item's `kind`, from the lines taken so far.
    var kind: String? {
        if case .kind(let kind) = found { return kind }
        return nil
    }

    /// Takes the item's next line: false when it belongs to `metadata.managedFields`'s value and is to be
    /// left out.
    mutating func keeps(_ line: UnsafeRawBufferPointer, _ shape: YAMLChunker.LineShape) -> Bool {
        if let column = leavingOut {
            if shape.indent > column || (shape.indent == column && shape.isEntry) || shape.isBlankOrComment {
                return false
            }
            leavingOut = nil
        }
        guard !notAnEntry, !shape.isBlankOrComment else { return true }
        guard let column = columns.column(of: line, shape) else {
            notAnEntry = true
            found = .unreadable
            return true
        }
        guard let column, let keys = columns.keys else { return true }  // a lone `-`: the next line sets the column
        if column < keys {
            found = .unreadable
        } else if column == keys {
            noteKind(line, at: column)
            inMetadata = Self.isKeyAlone("metadata:", line, at: column)
            metadataKeys = nil
        } else if inMetadata {
            if metadataKeys == nil { metadataKeys = column }
            if column == metadataKeys, Self.isKeyAlone("managedFields:", line, at: column) { leavingOut = column }
        }
        return true
    }

    /// A line at the item's own column: a `kind:` key there sets the kind, once.
    private mutating func noteKind(_ line: UnsafeRawBufferPointer, at column: Int) {
        guard line.matches("kind:", at: column) else { return }
        if case .none = found, column + 5 < line.count, line[column + 5] == .space || line[column + 5] == .tab,
           let value = Self.simpleScalar(line.slice((column + 5)..<line.count)) {
            found = .kind(value)
        } else {
            // A second `kind`, a value on the lines below, no key at all (`kind:x`), or a value that needs
            // YAML to read.
            found = .unreadable
        }
    }

    // MARK: - Whole items

    /// The `kind` of a List item, read from its lines without composing it.
    ///
    ///     - apiVersion: v1          - kind: ConfigMap
    ///       data: …                   metadata: …
    ///       kind: ConfigMap
    static func kind(of item: [UInt8]) -> String? {
        var reading = YAMLListItem()
        item.withUnsafeBytes { b in Self.eachLine(of: b) { _ = reading.keeps($0, YAMLChunker.LineShape($0)) } }
        return reading.kind
    }

    /// The item with the lines of its `metadata.managedFields` value left empty.
    static func withoutManagedFields(_ item: [UInt8]) -> [UInt8] {
        var reading = YAMLListItem()
        var out: [UInt8] = []
        out.reserveCapacity(item.count)
        item.withUnsafeBytes { b in
            var first = true
            Self.eachLine(of: b) { line in
                if !first { out.append(.newline) }
                first = false
                if reading.keeps(line, YAMLChunker.LineShape(line)) { out.append(contentsOf: line) }
            }
        }
        return out
    }

    /// Every line of `b`, the empty one after a last newline included.
    private static func eachLine(of b: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> Void) {
        var start = 0
        while start <= b.count {
            let end = b.firstIndex(of: .newline, from: start) ?? b.count
            body(b.slice(start..<end))
            start = end + 1
        }
    }

    // MARK: - Lines

    /// Follows an item's lines to tell where each line's content starts and where the item's own keys
    /// are: on the `- ` line after the dash, or (after a lone `-`) at the next line's indentation.
    private struct ItemColumns {
        private(set) var keys: Int?
        private var sawEntry = false

        /// The column of a content line's first character; nil when the item does not start with a
        /// `- ` line; `.some(nil)` for a lone `-`.
        mutating func column(of line: UnsafeRawBufferPointer, _ shape: YAMLChunker.LineShape) -> Int?? {
            guard sawEntry else {
                guard shape.isEntry else { return nil }
                sawEntry = true
                let column = line.skipSpaces(from: shape.indent + 1)
                if column == line.count { return .some(nil) }
                keys = column
                return column
            }
            let column = shape.indent
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
        while i < b.count, b[i].isDigit || (b[i] | 0x20 >= UInt8(ascii: "a") && b[i] | 0x20 <= UInt8(ascii: "z")) {
            i += 1
        }
        guard i > start else { return nil }
        let rest = b.skipSpaces(from: i)
        guard rest == b.count || (rest > i && b[rest] == UInt8(ascii: "#")) else { return nil }
        return b.string(start..<i)
    }
}
