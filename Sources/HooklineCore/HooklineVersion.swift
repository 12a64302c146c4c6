/// Hookline's release version.
package enum HooklineVersion {
    /// The current version string.
    package static let current = "0.1.0"
}
