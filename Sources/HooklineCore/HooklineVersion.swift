/// Hookline's release version.
public enum HooklineVersion {
    /// The current version string.
    public static let current = "0.1.0"
}
