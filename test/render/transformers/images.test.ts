/** Expected images are what `kubectl kustomize` (Kustomize v5.5.0) printed for the same inputs and `images:` entries. */
import { describe, expect, it } from "@jest/globals";
import { applyImage, splitImage, type ImageEntry } from "../../../src/render/transformers/index.js";
import type { JsonObject } from "../../../src/render/fieldspec/index.js";

const deployment = (): JsonObject => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "d" },
  spec: {
    template: {
      spec: {
        initContainers: [{ name: "i", image: "nginx@sha256:abc" }],
        containers: ["nginx", "nginx:1.7", "nginx:1.7@sha256:abc", "nginxx:1", "localhost:5000/app:2", "gcr.io/proj/tool:3", "alpine:3"].map(
          (image, i) => ({ name: String(i), image }),
        ),
      },
    },
  },
});
const entries: ImageEntry[] = [
  { name: "nginx", newTag: "2" },
  { name: "localhost:5000/app", newName: "reg/app", digest: "sha256:123" },
  { name: "gcr.io/.*", newName: "mirror/x" },
  { name: "alpine", digest: "sha256:def" },
];
const imagesOf = (o: JsonObject): unknown => JSON.stringify(o).match(/"image":"[^"]*"/g);

describe("applyImage", () => {
  it("rewrites names, tags and digests as Kustomize does, and reports the fields it set", () => {
    const d = deployment();
    const set: string[] = [];
    for (const e of entries) applyImage(d, e, undefined, (p) => set.push(p));
    expect(imagesOf(d)).toEqual(
      ["nginx:2", "nginx:2", "nginx:2", "nginx:2", "nginxx:1", "reg/app@sha256:123", "mirror/x:3", "alpine@sha256:def"].map((i) => `"image":"${i}"`),
    );
    expect(set).toContain("/spec/template/spec/initContainers/0/image");
    expect(set).not.toContain("/spec/template/spec/containers/3/image");
    expect(set).toHaveLength(7);
  });

  it("finds containers anywhere except in CRDs, and only lists called containers/initContainers", () => {
    const thing: JsonObject = { apiVersion: "example.com/v1", kind: "Thing", spec: { deep: { containers: [{ image: "nginx:9" }] }, notcontainers: [{ image: "nginx:9" }] } };
    const crd: JsonObject = {
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      spec: { containers: [{ image: "nginx:9" }], template: { spec: { containers: [{ image: "nginx:9" }] } } },
    };
    applyImage(thing, entries[0]!);
    applyImage(crd, entries[0]!);
    expect(imagesOf(thing)).toEqual(['"image":"nginx:2"', '"image":"nginx:9"']);
    expect(imagesOf(crd)).toEqual(['"image":"nginx:9"', '"image":"nginx:9"']);
    const mapped: JsonObject = { apiVersion: "example.com/v1", kind: "Thing", spec: { containers: { image: "nginx:9" } } };
    applyImage(mapped, entries[0]!);
    expect(mapped["spec"]).toEqual({ containers: { image: "nginx:2" } }); // through the field spec spec/containers[]/image
  });

  it("uses custom field specs (configurations) and never creates an image", () => {
    const custom: JsonObject = { kind: "customKind", spec: { template: { spec: { myContainers: [{ image: "nginx" }, { name: "no-image" }] } } } };
    applyImage(custom, { name: "nginx", newTag: "v2" }, [{ kind: "customKind", path: "spec/template/spec/myContainers[]/image", create: true }]);
    expect(custom["spec"]).toEqual({ template: { spec: { myContainers: [{ image: "nginx:v2" }, { name: "no-image" }] } } });
  });

  it("an invalid name pattern matches nothing (TestTransfomersImageInvalidNameRegexp)", () => {
    const d = deployment();
    applyImage(d, { name: "[", newTag: "v2" });
    expect(d).toEqual(deployment());
  });

  it("tagSuffix appends to the tag once and drops the digest; newTag/digest win over it", () => {
    const d = deployment();
    applyImage(d, { name: "nginx", tagSuffix: "-fips" });
    expect(imagesOf(d)).toContain('"image":"nginx:1.7-fips"');
    expect(imagesOf(d)).toContain('"image":"nginx:-fips"');
    const e = deployment();
    applyImage(e, { name: "nginx", tagSuffix: "-fips", newTag: "3" });
    expect(imagesOf(e)).not.toContain('"image":"nginx:3-fips"');
  });

  it("a map where an image should be is an error", () => {
    const pod: JsonObject = { kind: "Pod", spec: { containers: [{ image: { name: "x" } }] } };
    expect(() => applyImage(pod, { name: "x", newTag: "1" })).toThrow(expect.objectContaining({ code: "render_image_not_scalar" }));
  });
});

describe("splitImage", () => {
  it("splits host:port, tag and digest", () => {
    expect(splitImage("localhost:5000/app:2")).toEqual({ name: "localhost:5000/app", tag: "2", digest: "" });
    expect(splitImage("nginx:1.7@sha256:abc")).toEqual({ name: "nginx", tag: "1.7", digest: "sha256:abc" });
    expect(splitImage("nginx@sha256:abc")).toEqual({ name: "nginx", tag: "", digest: "sha256:abc" });
    expect(splitImage("nginx")).toEqual({ name: "nginx", tag: "", digest: "" });
  });
});
