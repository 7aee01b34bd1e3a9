/// Failures of an S3 store, naming the store and the object key.
public enum S3StoreError: Error, Hashable, Sendable, CustomStringConvertible {
    case missingAfterUpload(store: String, key: String)
    case verificationFailed(store: String, key: String, size: Int64, sha256: String)

    public var description: String {
        switch self {
        case .missingAfterUpload(let store, let key): "\(store): \(key) is missing right after its upload"
        case .verificationFailed(let store, let key, let size, let sha256):
            "\(store): \(key) does not verify after upload (HEAD: \(size) bytes, sha256 \(sha256)); not advertised"
        }
    }
}
