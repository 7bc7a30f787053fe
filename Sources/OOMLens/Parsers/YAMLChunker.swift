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
/// that of every line inside an item, block scalars and wrapped strings included; its kind and its
/// `managedFields` are followed as the lines come, by `YAMLListItem`), then `.listEnd`
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
        /// One item of the sequence: its `- ` line and the lines under it, those of its
        /// `metadata.managedFields` value left empty (`YAMLListItem`), and its `kind` when its lines
        /// tell it plainly.
        case item(Chunk, kind: String?)
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
    /// The current item's lines followed (items mode).
    private var item = YAMLListItem()

    init(maxBytes: Int) {
        self.maxBytes = maxBytes
    }

    /// Takes the next line; appends to `pieces` those it completes.
    mutating func add(_ line: UnsafeRawBufferPointer, number: Int, into pieces: inout [Piece]) {
        if Self.isDocumentMarker(line) {
            if case .document = mode, !current.hasContent {
                // Directives, comments or an empty document before the marker: they go with the next one.
            } else {
                pieces += finishDocument()
            }
            if line[0] == .dash {
                // `---` begins the next document and stays in it (it may carry content: `--- |`).
                let hadContent = current.hasContent
                Self.append(line, number, to: &current, maxBytes, isBlankOrComment: false)
                current.hasContent = hadContent || !LineShape(line.slice(3..<line.count)).isBlankOrComment
            }
            return
        }
        let shape = LineShape(line)
        switch mode {
        case .document:
            if Self.isRootItemsKey(line) {
                mode = .awaitingItems(itemsLine: number, itemsText: Array(line))
                waiting = Chunk()
                return
            }
            Self.append(line, number, to: &current, maxBytes, isBlankOrComment: shape.isBlankOrComment)
        case .awaitingItems(let itemsLine, let itemsText):
            if shape.isBlankOrComment {
                Self.append(line, number, to: &waiting, maxBytes, isBlankOrComment: true)
                return
            }
            if shape.isEntry {
                pieces.append(.listStart(head: current, itemsLine: itemsLine))
                current = waiting
                waiting = Chunk()
                item = YAMLListItem()
                appendToItem(line, number, shape)
                mode = .items(indent: shape.indent)
                return
            }
            // Not a block sequence: the document is read whole after all.
            itemsText.withUnsafeBytes { Self.append($0, itemsLine, to: &current, maxBytes, isBlankOrComment: false) }
            Self.merge(waiting, into: &current, maxBytes)
            waiting = Chunk()
            Self.append(line, number, to: &current, maxBytes, isBlankOrComment: false)
            mode = .document
        case .items(let indent):
            if shape.isBlankOrComment || shape.indent > indent {
                appendToItem(line, number, shape)
                return
            }
            pieces.append(.item(current, kind: item.kind))
            current = Chunk()
            if shape.isEntry, shape.indent == indent {
                item = YAMLListItem()
                appendToItem(line, number, shape)
            } else {
                Self.append(line, number, to: &current, maxBytes, isBlankOrComment: false)
                mode = .tail
            }
        case .tail:
            Self.append(line, number, to: &current, maxBytes, isBlankOrComment: shape.isBlankOrComment)
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
            itemsText.withUnsafeBytes { Self.append($0, itemsLine, to: &current, maxBytes, isBlankOrComment: false) }
            Self.merge(waiting, into: &current, maxBytes)
            return [.document(current)]
        case .items:
            return [.item(current, kind: item.kind), .listEnd(tail: Chunk())]
        case .tail:
            return [.listEnd(tail: current)]
        }
    }

    // MARK: - Lines

    /// What the chunker and `YAMLListItem` ask of a line, found once.
    struct LineShape {
        /// Spaces before the first other byte.
        let indent: Int
        /// Nothing but spaces and tabs, or a comment.
        let isBlankOrComment: Bool
        /// A block sequence entry, `- …` or a lone `-`, at `indent`.
        let isEntry: Bool

        init(_ b: UnsafeRawBufferPointer) {
            var indent = 0
            while indent < b.count, b[indent] == .space { indent += 1 }
            let first = b.skipSpaces(from: indent)
            self.indent = indent
            isBlankOrComment = first == b.count || b[first] == UInt8(ascii: "#")
            isEntry = indent < b.count && b[indent] == .dash && (indent + 1 == b.count || b[indent + 1].isSpaceOrTab)
        }
    }

    /// A line of the current item; one of its `managedFields` value's lines is counted, and kept empty.
    private mutating func appendToItem(_ line: UnsafeRawBufferPointer, _ number: Int, _ shape: LineShape) {
        Self.append(line, number, to: &current, maxBytes, isBlankOrComment: shape.isBlankOrComment,
                    keepingText: item.keeps(line, shape))
    }

    /// Adds a line (`isBlankOrComment` as `LineShape` tells it) to `chunk`, or only counts it once the
    /// chunk is over the cap.
    private static func append(
        _ line: UnsafeRawBufferPointer, _ number: Int, to chunk: inout Chunk, _ maxBytes: Int,
        isBlankOrComment blank: Bool, keepingText: Bool = true
    ) {
        if chunk.firstLine == 0 { chunk.firstLine = number }
        chunk.size += line.count + 1
        if !chunk.hasContent, !blank, line.first != UInt8(ascii: "%") { chunk.hasContent = true }
        guard !chunk.overflowed else { return }
        if chunk.size > maxBytes {
            chunk.overflowed = true
            chunk.bytes = []
            return
        }
        // A chunk's lines are consecutive, so its bytes keep the stream's line numbering.
        if number > chunk.firstLine { chunk.bytes.append(.newline) }
        if keepingText { chunk.bytes.append(contentsOf: line) }
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
}
