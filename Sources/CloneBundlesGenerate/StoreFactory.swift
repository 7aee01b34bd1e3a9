import CloneBundlesHTTP
import CloneBundlesModel
import CloneBundlesPipeline
import CloneBundlesS3
import CloneBundlesSettings
import CloneBundlesStages

/// Builds the configured stores. Each S3 store has its own libcurl transport (a thread and a
/// connection cache: buckets are different hosts, and one thread for all regions was the upload
/// bottleneck); stores with the same profile share one credentials chain.
struct StoreFactory {
    let configuration: PipelineConfiguration
    /// The process environment, for the credentials chain (AWS_* variables, HOME).
    let environment: [String: String]

    struct Stores {
        var stores: [any BundleStore]
        /// Each store's check, run before anything else.
        var preflights: [StorePreflight]
        /// The part size S3 uploads use for a file of a given size: nil without S3 stores, and
        /// nil for files sent in one PUT (no part hashes to compute).
        var partSize: (@Sendable (Int64) -> Int64?)?
        /// Credentials files others can read (paths only).
        var exposedCredentialFiles: [String] = []
    }

    func make() throws -> Stores {
        var result = Stores(stores: [], preflights: [], partSize: nil)
        var chains: [String: CredentialsChain] = [:]
        for store in configuration.stores {
            switch store.kind {
            case .local(let directory):
                let local = LocalDirectoryStore(
                    name: store.name, directory: directory, urlBase: store.urlBase, types: store.types)
                result.stores.append(local)
                result.preflights.append(
                    StorePreflight(store: store.name) { _ in
                        do {
                            try local.preflight()
                        } catch {
                            throw StorePreflight.Failure(store: store.name, reason: "\(error)")
                        }
                    })
            case .s3(let bucket):
                let transport = try CurlTransport(configuration: .generate())
                let profile = bucket.profile ?? ""
                let file = SharedCredentialsFile(environment: environment, profile: bucket.profile)
                if file.isAccessibleByGroupOrOthers() == true, let path = file.path,
                    !result.exposedCredentialFiles.contains(path)
                {
                    result.exposedCredentialFiles.append(path)
                }
                let chain: CredentialsChain
                if let known = chains[profile] {
                    chain = known
                } else {
                    // Only the default chain asks the instance metadata service, and it is reached
                    // directly, never through a proxy.
                    chain = CredentialsChain.standard(
                        environment: environment, profile: bucket.profile,
                        transport: profile.isEmpty
                            ? try CurlTransport(configuration: .generate(usesProxy: false)) : transport)
                    chains[profile] = chain
                }
                let clientConfiguration = s3Configuration(bucket)
                let client = try S3Client(configuration: clientConfiguration, credentials: chain, transport: transport)
                result.stores.append(
                    S3BucketStore(
                        name: store.name, client: client, urlBase: store.urlBase, types: store.types,
                        forceUpload: configuration.s3.forceUpload))
                result.preflights.append(Self.preflight(store.name, bucket: bucket, client: client, credentials: chain))
                let threshold = clientConfiguration.multipartThreshold
                result.partSize = { size in size >= threshold ? clientConfiguration.partSize(forFileSize: size) : nil }
            }
        }
        return result
    }

    /// Credentials first (a missing source names every place looked at), then the S3 requests.
    private static func preflight(
        _ store: String, bucket: S3BucketSettings, client: S3Client, credentials: CredentialsChain
    ) -> StorePreflight {
        StorePreflight(store: store) { logger in
            do {
                _ = try await credentials.credentials()
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                throw StorePreflight.Failure(store: store, reason: "no usable credentials: \(error)")
            }
            do {
                try await client.preflight(logger: logger)
            } catch let error as S3Error {
                throw StorePreflight.Failure(store: store, reason: "region \(bucket.region): \(error)")
            }
        }
    }

    private func s3Configuration(_ bucket: S3BucketSettings) -> S3Client.Configuration {
        let mebibyte: Int64 = 1 << 20
        let settings = configuration.s3
        var retry = RetryPolicy()
        retry.maxAttempts = settings.attempts
        return S3Client.Configuration(
            region: bucket.region, bucket: bucket.bucket, endpoint: bucket.endpoint,
            addressing: bucket.addressing == "path" ? .path : .virtualHosted, keyPrefix: bucket.keyPrefix,
            storageClass: bucket.storageClass, multipartThreshold: Int64(settings.multipartThresholdMiB) * mebibyte,
            partSize: Int64(settings.partSizeMiB) * mebibyte, partsInParallel: settings.partsInParallel,
            retryPolicy: retry, requestTimeout: .seconds(settings.requestTimeoutSeconds),
            serverSideTimeout: .seconds(settings.requestTimeoutSeconds),
            stallWindow: .seconds(settings.stallSeconds))
    }
}
