import HooklineCore
import HooklineSQLite
import Hummingbird
import Testing

@testable import HooklineHTTP

/// The idempotency middleware skips its read before the work only for the message-create route; every other
/// path must answer false, or a repeated request of another kind would run twice.
@Suite struct MessageCreatePathTests {
    private typealias Middleware = IdempotencyMiddleware<BasicRequestContext, SQLiteStore, SystemClock>

    @Test(arguments: ["/api/v1/app/app_1/msg", "/api/v1/app/app_1/msg/", "/api/v1/app/my-uid/msg"])
    func messageCreatesAreRecognised(_ path: String) {
        #expect(Middleware.createsMessage(path))
    }

    @Test(arguments: [
        "/api/v1/app", "/api/v1/app/", "/api/v1/app//msg", "/api/v1/app/app_1", "/api/v1/app/app_1/msg/msg_1",
        "/api/v1/app/app_1/msgs", "/api/v1/app/app_1/endpoint", "/api/v1/app/app_1/msg/extra/", "/api/v2/app/app_1/msg",
        "//api/v1/app/app_1/msg", "/api/v1/app/a/b/msg", "",
    ])
    func otherPathsAreNot(_ path: String) {
        #expect(!Middleware.createsMessage(path))
    }
}
