import { compile } from "../../../../src/rego/compile.js";
import { CompiledPolicy } from "../../../../src/rego/evaluator/compiled-policy.js";
import { ensureRuntimeBuilt } from "../../runtime/ensure-runtime-built.js";
import { call, failure } from "./call-host-builtin.js";

beforeAll(() => ensureRuntimeBuilt());

// AWS's documented SigV4 example (IAM ListUsers, 2015-08-30T12:36:00Z, the documentation's example secret).
const config = { aws_access_key: "AKIDEXAMPLE", aws_secret_access_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", aws_service: "iam", aws_region: "us-east-1" };
const time = Date.UTC(2015, 7, 30, 12, 36, 0) * 1e6;
const request = {
  method: "GET",
  url: "https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08",
  headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
};

describe("providers.aws.sign_req", () => {
  test("signs AWS's documented example request to its documented signature", () => {
    const signed = call("providers.aws.sign_req", request, config, time) as { headers: Record<string, string> };
    expect(signed.headers.Authorization).toBe(
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request,SignedHeaders=content-type;host;x-amz-date,"
      + "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7",
    );
    expect(signed.headers.host).toBe("iam.amazonaws.com");
    expect(signed.headers["x-amz-date"]).toBe("20150830T123600Z");
    expect(signed.headers["content-type"]).toBe(request.headers["content-type"]);
  });

  test("S3 adds the payload hash (or UNSIGNED-PAYLOAD), a session token its header", () => {
    const s3 = { ...config, aws_service: "s3", aws_session_token: "TOKEN" };
    const signed = call("providers.aws.sign_req", { method: "PUT", url: "https://b.s3.amazonaws.com/k", raw_body: "abc" }, s3, time) as { headers: Record<string, string> };
    expect(signed.headers["x-amz-content-sha256"]).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(signed.headers["x-amz-security-token"]).toBe("TOKEN");
    expect(signed.headers.Authorization).toMatch(/SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,/);
    const unsigned = call("providers.aws.sign_req", { method: "GET", url: "https://b.s3.amazonaws.com/k" }, { ...s3, disable_payload_signing: true }, time) as { headers: Record<string, string> };
    expect(unsigned.headers["x-amz-content-sha256"]).toBe("UNSIGNED-PAYLOAD");
  });

  test("missing or mistyped parameters are type errors naming the operand", () => {
    expect(failure("providers.aws.sign_req", {}, config, time)).toBe(
      'eval_type_error: providers.aws.sign_req: operand 1 missing required request parameters(s): {"method", "url"}',
    );
    expect(failure("providers.aws.sign_req", request, { aws_service: "s3" }, time)).toMatch(
      /operand 2 missing required AWS config parameters\(s\): \{"aws_access_key", "aws_region", "aws_secret_access_key"\}/,
    );
    expect(failure("providers.aws.sign_req", request, { ...config, aws_region: 5 }, time)).toMatch(/operand 2 invalid values for required AWS config parameters\(s\): \{"aws_region"\}/);
    expect(failure("providers.aws.sign_req", request, config, -1)).toMatch(/operand 3 could not convert time_ns value into a unix timestamp/);
    expect(failure("providers.aws.sign_req", request, { ...config, disable_payload_signing: "yes" }, time)).toMatch(/invalid value for 'disable_payload_signing'/);
    expect(failure("providers.aws.sign_req", request, config, 2 ** 60 * 1e6)).toMatch(/operand 3 could not convert time_ns value into a unix timestamp/);
    expect(failure("providers.aws.sign_req", request, config, 1.5)).toMatch(/operand 3 could not convert time_ns value into a unix timestamp/);
  });

  test("in a compiled policy, a body holding a set comes back as that set", () => {
    const text = [
      "package t",
      "signed := providers.aws.sign_req({\"method\": \"GET\", \"url\": \"https://x.test/\", \"body\": {\"ids\": {3, 1, 2}}}, input.config, input.time)",
      "body_kept if signed.body == {\"ids\": {1, 2, 3}}",
    ].join("\n");
    const r = compile({ modules: [{ file: "p.rego", text }], entrypoints: ["t/body_kept"] });
    if (!r.wasm) throw new Error(r.diagnostics.map((d) => d.message).join("\n"));
    const policy = CompiledPolicy.loadSync(r.wasm, { strictBuiltinErrors: true });
    expect(policy.evaluateText("t/body_kept", JSON.stringify({ config, time }))).toBe('[{"result":true}]');
  });
});
