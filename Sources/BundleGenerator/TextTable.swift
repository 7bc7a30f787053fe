/// Aligns cells in columns the way Go's `text/tabwriter` does for kubectl: every cell but the last is
/// padded to its column's width plus `padding` spaces; the last cell is written as is.
enum TextTable {
    static func render(_ rows: [[String]], padding: Int, indent: String = "") -> [String] {
        var widths: [Int] = []
        for row in rows {
            for (i, cell) in row.enumerated() {
                if i >= widths.count { widths.append(0) }
                widths[i] = max(widths[i], cell.count)
            }
        }
        return rows.map { row in
            var line = indent
            for (i, cell) in row.enumerated() {
                line += cell
                if i + 1 < row.count { line += String(repeating: " ", count: widths[i] - cell.count + padding) }
            }
            return line
        }
    }
}
