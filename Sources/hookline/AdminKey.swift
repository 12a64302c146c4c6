import Foundation

/// The admin API key: given explicitly, or generated once and kept in the data folder.
struct AdminKey {
    /// Where the key came from.
    enum Origin {
        case explicit
        case stored(path: String)
        case generated(path: String)
    }

    var value: String
    var origin: Origin

    /// The explicit key, else the stored one, else a new key written to `admin-api-key` (mode 0600).
    static func resolve(explicit: String?, dataDirectory: String) throws -> AdminKey {
        if let explicit { return AdminKey(value: explicit, origin: .explicit) }
        let path = (dataDirectory as NSString).appendingPathComponent("admin-api-key")
        if let stored = try? String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines),
            !stored.isEmpty
        {
            return AdminKey(value: stored, origin: .stored(path: path))
        }
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        var generator = SystemRandomNumberGenerator()
        let key = "hk_" + String((0..<40).map { _ in alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))] })
        guard FileManager.default.createFile(atPath: path, contents: Data((key + "\n").utf8), attributes: [.posixPermissions: 0o600]) else {
            throw CLIError("cannot write the admin API key to \(path)")
        }
        return AdminKey(value: key, origin: .generated(path: path))
    }
}
