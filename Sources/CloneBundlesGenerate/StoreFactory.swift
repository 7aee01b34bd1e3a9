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
        /// Whether some S3 store sends `Content-MD5` (`checksum: md5`): the generation stage then
        /// computes the MD5s in the same read of each file as its SHA-256s.
        var digestsMD5 = false
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
                let region = try region(of: bucket, store: store)
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
                    // Instance metadata and container endpoints are reached directly, never
                    // through a proxy; STS like S3. STS's region, when neither the environment nor
                    // the profile names one, is the first such store's.
                    chain = CredentialsChain.standard(
                        environment: environment, profile: bucket.profile,
                        transport: try CurlTransport(configuration: .generate(usesProxy: false)),
                        stsTransport: transport,
                        processRunner: SubprocessCredentialProcess(), region: region)
                    chains[profile] = chain
                }
                let clientConfiguration = s3Configuration(bucket, region: region)
                let client = try S3Client(configuration: clientConfiguration, credentials: chain, transport: transport)
                result.stores.append(
                    S3BucketStore(
                        name: store.name, client: client, urlBase: store.urlBase, types: store.types,
                        forceUpload: configuration.s3.forceUpload))
                result.preflights.append(Self.preflight(store.name, region: region, client: client, credentials: chain))
                if clientConfiguration.checksum == .md5 { result.digestsMD5 = true }
                let threshold = clientConfiguration.multipartThreshold
                result.partSize = { size in size >= threshold ? clientConfiguration.partSize(forFileSize: size) : nil }
            }
        }
        return result
    }

    /// Credentials first (a missing source names every place looked at), then the S3 requests.
    private static func preflight(
        _ store: String, region: String, client: S3Client, credentials: CredentialsChain
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
                throw StorePreflight.Failure(store: store, reason: "region \(region): \(error)")
            }
        }
    }

    /// The store's `region`, else the AWS tools' choice (environment, then the profile's).
    private func region(of bucket: S3BucketSettings, store: PipelineConfiguration.Store) throws -> String {
        if let region = bucket.region { return region }
        let key = "\(store.settingKey).region"
        do {
            if let region = try ProfileRegion.resolve(environment: environment, profile: bucket.profile) {
                return region
            }
        } catch {
            throw ConfigError.setting(file: configuration.source, key: key, message: "not set, and \(error)")
        }
        throw ConfigError.setting(
            file: configuration.source, key: key,
            message: "not set, and neither AWS_REGION, AWS_DEFAULT_REGION nor the region of profile '"
                + ProfileCredentials.profileName(bucket.profile, environment: environment).name + "' names one")
    }

    private func s3Configuration(_ bucket: S3BucketSettings, region: String) -> S3Client.Configuration {
        let mebibyte: Int64 = 1 << 20
        let settings = configuration.s3
        var retry = RetryPolicy()
        retry.maxAttempts = settings.attempts
        return S3Client.Configuration(
            region: region, bucket: bucket.bucket, endpoint: bucket.endpoint,
            addressing: bucket.addressing == "path" ? .path : .virtualHosted, keyPrefix: bucket.keyPrefix,
            storageClass: bucket.storageClass, checksum: bucket.checksum == "md5" ? .md5 : .sha256,
            multipartThreshold: Int64(settings.multipartThresholdMiB) * mebibyte,
            partSize: Int64(settings.partSizeMiB) * mebibyte, partsInParallel: settings.partsInParallel,
            retryPolicy: retry, requestTimeout: .seconds(settings.requestTimeoutSeconds),
            serverSideTimeout: .seconds(settings.requestTimeoutSeconds),
            stallWindow: .seconds(settings.stallSeconds))
    }
}
