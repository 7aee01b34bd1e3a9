import CloneBundlesS3
import S3TestSupport
import TestSupport

extension MotoServer {
    /// Lets anyone GET the objects of `bucket` (a bucket policy set with the aws CLI, signed with
    /// the IAM user's key), as hg clients download bundles: without credentials.
    func allowPublicRead(of bucket: String, region: String) async throws {
        let policy =
            #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::\#(bucket)/*"}]}"#
        let put = try await Command.run(
            "aws",
            [
                "--endpoint-url", endpoint, "--region", region, "s3api", "put-bucket-policy", "--bucket", bucket,
                "--policy", policy,
            ],
            environment: [
                "AWS_ACCESS_KEY_ID": credentials.accessKeyID, "AWS_SECRET_ACCESS_KEY": credentials.secretAccessKey,
                "AWS_SESSION_TOKEN": "", "AWS_EC2_METADATA_DISABLED": "true",
            ])
        guard put.status == 0 else { throw MotoServerError("put-bucket-policy \(bucket): \(put.stderr)") }
    }
}
