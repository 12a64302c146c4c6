import Foundation
import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#endif

/// Gives the heap's free pages back to the kernel at a fixed interval, so RSS falls after a burst (a drained
/// backlog, a spike of streams) instead of staying at its high-water mark.
///
/// glibc returns memory on its own only from the top of each arena; `malloc_trim(0)` also releases the free
/// pages between live allocations. Measured on 2 cores after a 70 000-message drain: 47.8 → 45.3 MiB.
package struct MemoryTrimmer<Clock: HooklineClock>: Service {
    /// How often the heap is trimmed.
    package struct Configuration: Sendable {
        /// The time between trims.
        package var interval: Duration

        /// Creates a configuration; default: every 30 s (a trim walks the free lists of every arena under its lock).
        package init(interval: Duration = .seconds(30)) {
            self.interval = interval
        }
    }

    let configuration: Configuration
    let clock: Clock
    let trim: @Sendable () -> Void

    /// Creates a trimmer that runs `trim` (default: glibc's `malloc_trim(0)`, nothing elsewhere) every interval.
    package init(configuration: Configuration = .init(), clock: Clock, trim: @escaping @Sendable () -> Void = Heap.trim) {
        self.configuration = configuration
        self.clock = clock
        self.trim = trim
    }

    /// Trims until shutdown.
    package func run() async {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await clock.sleep(until: clock.now().adding(configuration.interval))
                } catch {
                    return
                }
                trim()
            }
        }
    }
}

/// The process heap (glibc's malloc).
package enum Heap {
    /// Whether `trim()` can release pages here (glibc's `malloc_trim` was found).
    package static var canTrim: Bool {
        #if canImport(Glibc)
        return trimSymbol != nil
        #else
        return false
        #endif
    }

    /// Releases the heap's free pages with glibc's `malloc_trim(0)`; does nothing where glibc is absent.
    package static func trim() {
        #if canImport(Glibc)
        // `malloc_trim` is declared in <malloc.h>, which the Glibc module does not include.
        guard let symbol = trimSymbol else { return }
        let mallocTrim = unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
        _ = mallocTrim(0)
        #endif
    }

    #if canImport(Glibc)
    /// glibc's `malloc_trim`, looked up once.
    private nonisolated(unsafe) static let trimSymbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim")
    #endif
}
