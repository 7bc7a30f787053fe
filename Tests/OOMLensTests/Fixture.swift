import Foundation
@testable import OOMLens

/// Test fixtures: files under `Tests/OOMLensTests/Fixtures/`, each opening with a line naming its source.
enum Fixture {
    /// The bytes of a fixture file.
    static func bytes(_ name: String) throws -> [UInt8] {
        guard let base = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            throw CocoaError(.fileNoSuchFile)
        }
        return Array(try Data(contentsOf: base.appendingPathComponent(name)))
    }

    /// The text of a fixture file.
    static func text(_ name: String) throws -> String {
        String(decoding: try bytes(name), as: UTF8.self)
    }

    /// Parses a fixture with parser `P` as if it were the bundle member `path`.
    static func parse<P: FileParser>(
        _ parser: P.Type, _ name: String, kind: FileKind, path: String? = nil, node: String? = nil
    ) throws -> ParseOutput {
        var context = ParseContext(path: path ?? name, kind: kind, nodeHint: node)
        context.nodeHint = node
        return P.parse(try bytes(name), context: context, blockSize: 4096)
    }
}
