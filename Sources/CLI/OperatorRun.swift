import ArgumentParser
import CloneBundlesModel
import CloneBundlesOperator
import CloneBundlesSettings
import Foundation
import Logging

/// Runs an operator operation on every selected repo, prints what happened, and exits
/// non-zero when any repo failed.
enum OperatorRun {
    static func each(
        _ global: GlobalOptions, _ selection: RepoSelectionOptions,
        _ operation: (RepoSettings, PipelineConfiguration, Logger) async -> OperatorOutcome
    ) async throws {
        let logger = makeLogger(level: global.logLevel)
        let scope: OperatorScope
        do {
            scope = try OperatorScope.load(
                configFile: global.config, arguments: selection.repos, all: selection.all,
                workingDirectory: FileManager.default.currentDirectoryPath)
        } catch {
            throw CommandFailure.report(error)
        }
        var failed = false
        for repo in scope.repos {
            let outcome = await operation(repo, scope.configuration, logger)
            for line in outcome.lines { print(line) }
            for warning in outcome.warnings { FileHandle.standardError.write(Data("warning: \(warning)\n".utf8)) }
            failed = failed || outcome.failed
        }
        if failed { throw ExitCode(1) }
    }
}
