import CloneBundlesHTTP
import CloneBundlesS3
import Foundation
import S3TestSupport
import Testing
import TestFiles

struct CredentialsChainTests {
    typealias Service = CredentialsFakeMetadataService
    let clock = CredentialsTestClock()
    let fileText =
        "[default]\naws_access_key_id = AKIAFILEDEFAULT01\naws_secret_access_key = file-secret\n"
        + "[prod]\naws_access_key_id = AKIAFILEPROD00001\naws_secret_access_key = prod-secret\n"
    let environmentKeys = ["AWS_ACCESS_KEY_ID": "AKIAENVIRONMENT01", "AWS_SECRET_ACCESS_KEY": "env-secret"]

    func chain(_ environment: [String: String], profile: String? = nil, service: Service) -> CredentialsChain {
        .standard(environment: environment, profile: profile, transport: service, now: clock.reading)
    }

    /// `HOME` in `directory`, whose credentials file holds ``fileText``.
    func homeWithFile(_ directory: String) throws -> [String: String] {
        try writeCredentialsFile(fileText, to: directory + "/.aws/credentials")
        return ["HOME": directory]
    }

    @Test func environmentComesFirst() async throws {
        try await withTemporaryDirectory { directory in
            let service = Service(clock: clock)
            let environment = try homeWithFile(directory).merging(environmentKeys) { $1 }
            #expect(try await chain(environment, service: service).credentials().accessKeyID == "AKIAENVIRONMENT01")
            #expect(await service.requests.isEmpty)
        }
    }

    @Test func fileComesBeforeInstanceMetadata() async throws {
        try await withTemporaryDirectory { directory in
            let service = Service(clock: clock)
            let environment = try homeWithFile(directory)
            #expect(try await chain(environment, service: service).credentials().accessKeyID == "AKIAFILEDEFAULT01")
            #expect(await service.requests.isEmpty)
        }
    }

    /// S3 refusing the role's credentials as expired reaches the metadata source through the chain.
    @Test func discardReachesTheSourceThatAnswered() async throws {
        try await withTemporaryDirectory { directory in
            let service = Service(clock: clock)
            let chain = chain(["HOME": directory], service: service)
            let first = try await chain.credentials()
            await chain.discard(first)
            #expect(try await chain.credentials().accessKeyID == Service.keyID(2))
        }
    }

    @Test func instanceMetadataIsTheLastResort() async throws {
        try await withTemporaryDirectory { directory in
            let service = Service(clock: clock)
            let chain = chain(["HOME": directory], service: service)
            let first = try await chain.credentials()
            #expect(first.accessKeyID == Service.keyID(1))
            clock.advance(minutes: 56)  // the chain asks the metadata source again, which refreshes
            #expect(try await chain.credentials().accessKeyID == Service.keyID(2))
        }
    }

    @Test func noSourceListsEveryReasonInOrder() async throws {
        try await withTemporaryDirectory { directory in
            let service = Service(clock: clock)
            await service.set(failure: .couldNotConnect(host: "169.254.169.254", detail: "Connection refused"))
            let error = try await #require(throws: CredentialsError.self) {
                try await chain(["HOME": directory], service: service).credentials()
            }
            let expected = [
                "no AWS credentials found: environment: AWS_ACCESS_KEY_ID not set",
                "\(directory)/.aws/config or \(directory)/.aws/credentials: no such file",
                "web identity: AWS_WEB_IDENTITY_TOKEN_FILE not set",
                "container credentials: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and _FULL_URI not set",
                "instance metadata at http://169.254.169.254: cannot connect to 169.254.169.254: Connection refused",
            ]
            #expect("\(error)" == expected.joined(separator: "; "))
            guard case .noCredentials(let reasons) = error else { Issue.record("not noCredentials: \(error)"); return }
            #expect(reasons.count == 5)
            #expect(error.isMissing && !error.isRetryable, "a chain that found nothing is skipped by an outer chain")
        }
    }

    @Test func halfSetEnvironmentStopsTheChain() async throws {
        try await withTemporaryDirectory { directory in
            let service = Service(clock: clock)
            var environment = try homeWithFile(directory)
            environment["AWS_ACCESS_KEY_ID"] = "AKIAENVIRONMENT01"
            await #expect(
                throws: CredentialsError.environmentIncomplete(
                    set: "AWS_ACCESS_KEY_ID", missing: "AWS_SECRET_ACCESS_KEY")
            ) {
                try await chain(environment, service: service).credentials()
            }
            #expect(await service.requests.isEmpty)
        }
    }

    @Test func environmentBeatsAWSProfile() async throws {
        try await withTemporaryDirectory { directory in
            let environment = try homeWithFile(directory).merging(environmentKeys) { $1 }.merging([
                "AWS_PROFILE": "prod"
            ]) { $1 }
            #expect(
                try await chain(environment, service: Service(clock: clock)).credentials().accessKeyID
                    == "AKIAENVIRONMENT01")
        }
    }

    @Test func unknownAWSProfileIsAnErrorNotAFallThrough() async throws {
        try await withTemporaryDirectory { directory in
            let service = Service(clock: clock)
            let environment = try homeWithFile(directory).merging(["AWS_PROFILE": "typo"]) { $1 }
            await #expect(
                throws: CredentialsError.profileNotFound(
                    path: "\(directory)/.aws/config or \(directory)/.aws/credentials", profile: "typo", required: true)
            ) {
                try await chain(environment, service: service).credentials()
            }
            #expect(await service.requests.isEmpty)
        }
    }

    @Test func explicitProfileBeatsEnvironmentAndNeverFallsBack() async throws {
        try await withTemporaryDirectory { directory in
            let service = Service(clock: clock)
            let environment = try homeWithFile(directory).merging(environmentKeys) { $1 }
            #expect(
                try await chain(environment, profile: "prod", service: service).credentials().accessKeyID
                    == "AKIAFILEPROD00001")

            let missing = chain(environment, profile: "staging", service: service)
            #expect(missing.providers.count == 1)
            let error = try await #require(throws: CredentialsError.self) { try await missing.credentials() }
            #expect("\(error)" == "\(directory)/.aws/config or \(directory)/.aws/credentials: no profile [staging]")
            #expect(await service.requests.isEmpty)
        }
    }

    @Test func keepsLongTermCredentialsOnceFound() async throws {
        try await withTemporaryDirectory { directory in
            let chain = chain(try homeWithFile(directory), service: Service(clock: clock))
            #expect(try await chain.credentials().accessKeyID == "AKIAFILEDEFAULT01")
            try FileManager.default.removeItem(atPath: directory + "/.aws/credentials")
            #expect(try await chain.credentials().accessKeyID == "AKIAFILEDEFAULT01")
        }
    }

    @Test func asksOnlyTheAnsweringSourceAfterwards() async throws {
        let first = CredentialsStubProvider(.failure(.environmentNotSet))
        let temporary = AWSCredentials(
            accessKeyID: "ASIASTUBPROVIDER1", secretAccessKey: "s", sessionToken: "t",
            expiration: clock.now.addingTimeInterval(3600))
        let second = CredentialsStubProvider(.success(temporary))
        let chain = CredentialsChain(providers: [first, second])
        for _ in 0..<3 { _ = try await chain.credentials() }
        #expect(first.callCount == 1)
        #expect(second.callCount == 3, "temporary credentials are asked for each time")
    }

    @Test func errorFromOutsideCredentialsErrorStopsTheChain() async throws {
        struct Odd: Error {}
        struct Throwing: CredentialsProvider {
            func credentials() async throws -> AWSCredentials { throw Odd() }
        }
        let last = CredentialsStubProvider(
            .success(AWSCredentials(accessKeyID: "AKIASTUBPROVIDER1", secretAccessKey: "s")))
        await #expect(throws: Odd.self) { try await CredentialsChain(providers: [Throwing(), last]).credentials() }
        #expect(last.callCount == 0)
    }
}
