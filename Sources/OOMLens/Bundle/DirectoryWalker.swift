#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Walks a directory tree in name order without following symbolic links.
///
/// Symlinks are reported, never followed, so a link out of the tree or a link loop cannot be
/// entered; directories are identified by device and inode so a bind-mount loop is skipped too.
struct DirectoryWalker {
    enum Kind { case regular, symlink, other, unreadable(String) }

    let root: String
    private var visited: Set<[UInt64]> = []
    private(set) var loopsSkipped = 0

    init(root: String) {
        self.root = root.hasSuffix("/") && root.count > 1 ? String(root.dropLast()) : root
    }

    /// Calls `body(relativePath, fullPath, kind)` for every non-directory entry. The full path is
    /// the raw, NUL-terminated bytes (names need not be UTF-8); the relative path is for display.
    mutating func walk(_ body: (String, [CChar], Kind) -> Void) {
        walk(directory: Array(root.utf8CString), relative: "", body)
    }

    private mutating func walk(directory: [CChar], relative: String, _ body: (String, [CChar], Kind) -> Void) {
        var info = stat()
        guard lstat(directory, &info) == 0 else { return }
        let key = [UInt64(info.st_dev), UInt64(info.st_ino)]
        guard visited.insert(key).inserted else { loopsSkipped += 1; return }
        guard let dir = opendir(directory) else {
            body(relative.isEmpty ? "." : relative, directory, .unreadable(String(cString: strerror(errno))))
            return
        }
        var names: [[UInt8]] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
            if name != [0x2E], name != [0x2E, 0x2E] { names.append(name) }
        }
        closedir(dir)
        for nameBytes in names.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            let name = String(decoding: nameBytes, as: UTF8.self)  // repaired for display only
            let full = Array(directory.dropLast()) + [CChar(bitPattern: 0x2F)] + nameBytes.map { CChar(bitPattern: $0) } + [0]
            let rel = relative.isEmpty ? name : relative + "/" + name
            var entryInfo = stat()
            guard lstat(full, &entryInfo) == 0 else {
                body(rel, full, .unreadable(String(cString: strerror(errno))))
                continue
            }
            switch entryInfo.st_mode & S_IFMT {
            case S_IFDIR: walk(directory: full, relative: rel, body)
            case S_IFLNK: body(rel, full, .symlink)
            case S_IFREG:
                if access(full, R_OK) != 0 {
                    body(rel, full, .unreadable(String(cString: strerror(errno))))
                } else {
                    body(rel, full, .regular)
                }
            default: body(rel, full, .other)
            }
        }
    }
}
