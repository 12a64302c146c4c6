import ArgumentParser

/// The load tools and node arguments of the commands that drive `hookline serve` nodes with wrk into nginx.
struct NodeLoadTools: ParsableArguments {
    /// The wrk binary.
    @Option(help: ArgumentHelp("The wrk binary (default /usr/bin/wrk).", valueName: "path"))
    var wrk = "/usr/bin/wrk"

    /// The nginx binary.
    @Option(help: ArgumentHelp("The nginx binary (default /usr/sbin/nginx).", valueName: "path"))
    var nginx = "/usr/sbin/nginx"

    /// Extra arguments for every node.
    @Option(name: .customLong("hookline-arg"), help: ArgumentHelp("An extra argument for `hookline serve` (repeatable).", valueName: "arg"))
    var hooklineArguments: [String] = []
}
