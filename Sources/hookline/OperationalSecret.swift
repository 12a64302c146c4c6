import ArgumentParser
import Foundation
import HooklineCore

/// The secret that signs operational webhooks: given explicitly, or generated once and kept in the data folder.
enum OperationalSecret {
    /// The file name in the data folder.
    static let fileName = "operational-webhook-secret"

    /// The explicit secret, else the stored one, else a new `whsec_` secret written to `operational-webhook-secret` (mode 0600).
    static func resolve(explicit: String?, dataDirectory: String) throws -> EndpointSecret {
        if let explicit {
            do {
                return try EndpointSecret(explicit)
            } catch {
                throw ValidationError("the operational webhook secret must be whsec_ followed by base64 of 24 to 64 bytes")
            }
        }
        let path = (dataDirectory as NSString).appendingPathComponent(fileName)
        if let stored = try? String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines),
            let secret = try? EndpointSecret(stored)
        {
            return secret
        }
        let secret = EndpointSecret.random()
        guard FileManager.default.createFile(atPath: path, contents: Data((secret.encoded + "\n").utf8), attributes: [.posixPermissions: 0o600])
        else {
            throw CLIError("cannot write the operational webhook secret to \(path)")
        }
        return secret
    }
}
