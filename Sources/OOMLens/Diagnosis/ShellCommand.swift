/// Decides whether a suggested command is safe to show for copying into a shell.
///
/// Commands are built from bundle text (pod, namespace, node and container names), and a hostile
/// bundle can name a pod `x;rm -rf ~` or `<script>` (a redirection): pasted, that would run. Real
/// Kubernetes names never hold shell syntax, so a command holding any is dropped rather than shown.
/// The `<word>` placeholders the rules write for the reader to replace (`<limit>`, `<node>`) are allowed:
/// like any command with a placeholder, they are not meant to be pasted unedited.
enum ShellCommand {
    /// Every word is made of letters, digits and `._:/=,@+%-`, and `<placeholder>`s of lowercase letters
    /// and dashes.
    static func isSafe(_ command: String) -> Bool {
        var inPlaceholder = false
        for scalar in command.unicodeScalars {
            switch scalar {
            case "<":
                if inPlaceholder { return false }
                inPlaceholder = true
            case ">":
                if !inPlaceholder { return false }
                inPlaceholder = false
            case "a"..."z", "-":
                continue
            case "A"..."Z", "0"..."9", ".", "_", ":", "/", "=", ",", "@", "+", "%", " ":
                if inPlaceholder { return false }
            default:
                return false
            }
        }
        return !inPlaceholder
    }
}
