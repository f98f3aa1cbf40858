import Foundation

/// Loads a stage's input files one ahead on a background thread: while the caller parses file
/// k, file k+1 is read (and inflated) on the second core. `load` must not throw: it returns
/// whatever it read, errors included, so the caller sees the same outcome as a direct read.
/// The caller asks for the files in the order given; a file asked for out of order is loaded
/// on the caller's thread instead. At most `ahead` loaded files wait, which bounds memory.
public final class FilePrefetcher<Content> {
    private let shared: Shared
    private let load: @Sendable (String) -> Content

    public init(paths: [String], ahead: Int = 1, load: @escaping @Sendable (String) -> Content) {
        self.load = load
        shared = Shared(paths: paths, ahead: max(1, ahead))
        guard !paths.isEmpty else { return }
        shared.running = true
        let shared = self.shared
        let thread = Thread { shared.run(load) }
        thread.name = "prefetch"
        thread.start()
    }

    /// Dropped before the last file (an error elsewhere): the thread ends after its current file.
    deinit { shared.cancel() }

    /// The content of `path`: the prefetched one when `path` is the next file in order.
    public func content(of path: String) -> Content {
        shared.take(path) ?? load(path)
    }

    private final class Shared: @unchecked Sendable {
        let paths: [String]
        let ahead: Int
        let condition = NSCondition()
        var loaded: [Int: Content] = [:]
        var nextToLoad = 0
        var nextToTake = 0
        var cancelled = false
        var running = false

        init(paths: [String], ahead: Int) {
            self.paths = paths
            self.ahead = ahead
        }

        func take(_ path: String) -> Content? {
            condition.lock()
            defer { condition.unlock() }
            guard nextToTake < paths.count, paths[nextToTake] == path else { return nil }
            let index = nextToTake
            while loaded[index] == nil { condition.wait() }
            nextToTake += 1
            condition.broadcast()
            return loaded.removeValue(forKey: index)
        }

        func cancel() {
            condition.lock()
            cancelled = true
            condition.broadcast()
            while running { condition.wait() }
            condition.unlock()
        }

        func run(_ load: (String) -> Content) {
            while true {
                condition.lock()
                while !cancelled && nextToLoad < paths.count && nextToLoad - nextToTake >= ahead { condition.wait() }
                if cancelled || nextToLoad >= paths.count {
                    running = false
                    condition.broadcast()
                    condition.unlock()
                    return
                }
                let index = nextToLoad
                condition.unlock()
                let content = load(paths[index])
                condition.lock()
                loaded[index] = content
                nextToLoad += 1
                condition.broadcast()
                condition.unlock()
            }
        }
    }
}
