import HooklineCore
import Hummingbird

/// `/api/v1/app` and `/api/v1/app/{app_id}`.
struct ApplicationRoutes<Store: HooklineStore, Clock: HooklineClock> {
    let routes: RouteContext<Store, Clock>

    func register(on group: RouterGroup<BasicRequestContext>) {
        group.post("app") { request, _ in
            var request = request
            let body = try await request.decodeJSON(ApplicationIn.self, limit: routes.maxBodyBytes)
            let getIfExists = try request.queryFlag("get_if_exists", default: false)
            let (application, created) = try await routes.gateway.createApplication(body.draft, getIfExists: getIfExists)
            return try JSONCoding.response(created ? .created : .ok, ApplicationOut(application))
        }
        group.get("app") { request, _ in
            let page = try await routes.gateway.applications(try request.pageRequest())
            return try JSONCoding.response(.ok, ListOut(page, transform: ApplicationOut.init))
        }
        group.get("app/{app_id}") { _, context in
            let application = try await routes.gateway.application(try context.parameters.path("app_id"))
            return try JSONCoding.response(.ok, ApplicationOut(application))
        }
        group.put("app/{app_id}") { request, context in
            var request = request
            let body = try await request.decodeJSON(ApplicationIn.self, limit: routes.maxBodyBytes)
            let (application, created) = try await routes.gateway.upsertApplication(try context.parameters.path("app_id"), with: body.draft)
            return try JSONCoding.response(created ? .created : .ok, ApplicationOut(application))
        }
        group.patch("app/{app_id}") { request, context in
            var request = request
            let body = try await request.decodeJSON(ApplicationPatchIn.self, limit: routes.maxBodyBytes)
            let application = try await routes.gateway.patchApplication(try context.parameters.path("app_id"), body.patch)
            return try JSONCoding.response(.ok, ApplicationOut(application))
        }
        group.delete("app/{app_id}") { _, context in
            try await routes.gateway.deleteApplication(try context.parameters.path("app_id"))
            return Response(status: .noContent)
        }
    }
}
