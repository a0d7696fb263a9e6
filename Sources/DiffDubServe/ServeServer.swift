import DiffDubCore
import DiffDubIO
import Foundation
import Hummingbird
import ServiceLifecycle

/// The server of `diffdub serve`: the jobs of a data folder (recovered at start), one session
/// shared by the queue's workers, and the router of the API and the page.
///
/// ```swift
/// let server = try ServeServer(configuration: configuration, models: models)
/// try await server.application().runService()  // until SIGINT or SIGTERM
/// ```
public struct ServeServer: Sendable {
    /// The settings.
    public let configuration: ServeConfiguration
    /// The model files.
    public let models: ServeModels
    /// The models, loaded once.
    let session: DubbingSession
    package let board: JobBoard

    /// Checks the configuration, creates the data folder, loads the models (unless `session`
    /// is given: models already loaded from `models`) and recovers the jobs on disk: finished
    /// ones as they are, every other one queued again (it resumes from the frames written).
    ///
    /// - Throws: ``ServeStartError``, the models' errors.
    public init(configuration: ServeConfiguration, models: ServeModels, session: DubbingSession? = nil) throws {
        try configuration.validate()
        let data = ServeDataFolder(configuration.dataFolder)
        try data.create()
        self.configuration = configuration
        self.models = models
        self.session = try session ?? models.loadSession()
        board = JobBoard(data: data)
        board.recover()
    }

    /// The workers of the queue, a service that stops them gracefully.
    public var workers: some Service {
        JobWorkers(
            board: board, runner: JobRunner(board: board, session: session, models: models, configuration: configuration),
            count: configuration.workers)
    }

    /// The application: the router on the configured address, with the workers; `runService()`
    /// runs both until SIGINT or SIGTERM, then stops the workers at their next step.
    public func application(onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        return Application(
            router: router(),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "diffdub"),
            services: [workers],
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) })
    }

    /// The routes of the API and the page.
    public func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: ErrorMiddleware())
        if let token = configuration.token, !token.isEmpty { router.add(middleware: TokenMiddleware(token: token)) }
        PageRoutes.add(to: router)
        APIRoutes(board: board, session: session, models: models, configuration: configuration).add(to: router)
        return router
    }
}
