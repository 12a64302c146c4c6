import HooklineCore

/// What this binary was built from; `scripts/package` rewrites `commit` in its build copy of the tree.
enum BuildInfo {
    /// The git commit of a packaged build; `nil` in a development build (`swift build` of a working tree).
    static let commit: String? = nil

    /// The `--version` line: the release version and the commit it was built from.
    static var versionLine: String {
        "\(HooklineVersion.current) (commit \(commit ?? "unknown: development build, not made by scripts/package"))"
    }
}
