import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The process's limit on glibc malloc arenas, set before `serve` starts its threads.
///
/// glibc gives threads up to eight arenas per core; each keeps the memory its threads freed. A node's threads
/// (event loops, the concurrency pool, SQLite's queues) each ended up with one, and RSS grew with every busy
/// phase: measured on 2 cores with 640 000 messages delivered, 61.4 MiB after 140 000 and 65.8 MiB after 640 000
/// with glibc's default, 56.0 and 56.8 MiB with two arenas.
enum MallocArenas {
    /// Arenas when `MALLOC_ARENA_MAX` is not set: two, what most servers set on small machines.
    static let defaultLimit: Int32 = 2

    /// Applies `defaultLimit` unless the operator chose a limit with glibc's own `MALLOC_ARENA_MAX`.
    static func limit() {
        #if canImport(Glibc)
        guard ProcessInfo.processInfo.environment["MALLOC_ARENA_MAX"] == nil,
            let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt")
        else { return }
        // `mallopt` and `M_ARENA_MAX` (-8) are declared in <malloc.h>, which the Glibc module does not include.
        let mallopt = unsafeBitCast(symbol, to: (@convention(c) (Int32, Int32) -> Int32).self)
        _ = mallopt(-8, defaultLimit)
        #endif
    }
}
