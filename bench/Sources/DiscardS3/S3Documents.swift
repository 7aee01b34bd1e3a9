#if canImport(Glibc)
    import Glibc
#endif

/// The XML answers, as S3 shapes them (only the elements clients read).
enum S3Documents {
    static let header = #"<?xml version="1.0" encoding="UTF-8"?>"#
    static let namespace = #" xmlns="http://s3.amazonaws.com/doc/2006-03-01/""#

    static func error(_ code: String, _ message: String, resource: String) -> String {
        header + "<Error><Code>\(code)</Code><Message>\(escaped(message))</Message>"
            + "<Resource>\(escaped(resource))</Resource><RequestId>discard</RequestId></Error>"
    }

    static func initiated(bucket: String, key: String, uploadID: String) -> String {
        header + "<InitiateMultipartUploadResult\(namespace)><Bucket>\(escaped(bucket))</Bucket>"
            + "<Key>\(escaped(key))</Key><UploadId>\(uploadID)</UploadId></InitiateMultipartUploadResult>"
    }

    static func completed(bucket: String, key: String, etag: String) -> String {
        header + "<CompleteMultipartUploadResult\(namespace)><Location>/\(escaped(bucket))/\(escaped(key))</Location>"
            + "<Bucket>\(escaped(bucket))</Bucket><Key>\(escaped(key))</Key><ETag>\(escaped(etag))</ETag>"
            + "</CompleteMultipartUploadResult>"
    }

    static func copyResult(_ element: String, etag: String, at time: Int) -> String {
        header + "<\(element)\(namespace)><LastModified>\(HTTPTime.iso8601(time))</LastModified>"
            + "<ETag>\(escaped(etag))</ETag></\(element)>"
    }

    static func listObjects(bucket: String, prefix: String, objects: [(String, StoredObject)]) -> String {
        var xml =
            header + "<ListBucketResult\(namespace)><Name>\(escaped(bucket))</Name><Prefix>\(escaped(prefix))</Prefix>"
        xml += "<KeyCount>\(objects.count)</KeyCount><MaxKeys>1000000</MaxKeys><IsTruncated>false</IsTruncated>"
        for (key, object) in objects {
            xml += "<Contents><Key>\(escaped(key))</Key><LastModified>\(HTTPTime.iso8601(object.lastModified))"
            xml += "</LastModified><ETag>\(escaped(object.etag))</ETag><Size>\(object.size)</Size>"
            xml += "<StorageClass>STANDARD</StorageClass></Contents>"
        }
        return xml + "</ListBucketResult>"
    }

    static func listUploads(bucket: String, uploads: [(String, Upload)]) -> String {
        var xml = header + "<ListMultipartUploadsResult\(namespace)><Bucket>\(escaped(bucket))</Bucket>"
        xml += "<IsTruncated>false</IsTruncated>"
        for (id, upload) in uploads {
            xml += "<Upload><Key>\(escaped(upload.key))</Key><UploadId>\(id)</UploadId>"
            xml += "<Initiated>\(HTTPTime.iso8601(upload.initiated))</Initiated></Upload>"
        }
        return xml + "</ListMultipartUploadsResult>"
    }

    static func listBuckets(_ names: [String]) -> String {
        header + "<ListAllMyBucketsResult\(namespace)><Buckets>"
            + names.map { "<Bucket><Name>\(escaped($0))</Name></Bucket>" }.joined()
            + "</Buckets></ListAllMyBucketsResult>"
    }

    static func escaped(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(character)
            }
        }
        return out
    }

    static func jsonEscaped(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.value < 0x20:
                out +=
                    "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                    + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

/// Seconds since the epoch, formatted for HTTP headers and XML documents.
enum HTTPTime {
    static func now() -> Int {
        Int(time(nil))
    }

    static func imf(_ seconds: Int) -> String {
        format(seconds, "%a, %d %b %Y %H:%M:%S GMT")
    }

    static func iso8601(_ seconds: Int) -> String {
        format(seconds, "%Y-%m-%dT%H:%M:%S.000Z")
    }

    private static func format(_ seconds: Int, _ pattern: String) -> String {
        var value = time_t(seconds)
        var parts = tm()
        gmtime_r(&value, &parts)
        var text = [CChar](repeating: 0, count: 64)
        let count = strftime(&text, text.count, pattern, &parts)
        return String(decoding: text.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
