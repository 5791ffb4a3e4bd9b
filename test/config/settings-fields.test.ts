import { z } from "zod";
import { defaultedField, fieldGroup, overrideShape, sameInBoth, settingsShape } from "../../src/config/settings-fields.js";

const table = {
  gate: fieldGroup(
    { count: defaultedField(z.int().min(0), 2, "How many."), names: defaultedField(z.array(z.string()), ["a"], "Which.") },
    { title: "Gate" },
    "The gate.",
  ),
  mode: defaultedField(z.enum(["x", "y"]), "x", "The mode."),
  ...sameInBoth({ extra: z.boolean().optional().describe("Extra.") }),
};
interface JsonField {
  title?: string;
  description?: string;
  properties?: Record<string, JsonField>;
}

const settings = z.strictObject(settingsShape(table));
const override = z.strictObject(overrideShape(table));

describe("settings fields declared once", () => {
  it("fill every default in the settings variant, also inside an absent group", () => {
    expect(settings.parse({})).toEqual({ gate: { count: 2, names: ["a"] }, mode: "x" });
    expect(settings.parse({ gate: { count: 5 }, extra: true })).toEqual({ gate: { count: 5, names: ["a"] }, mode: "x", extra: true });
  });

  it("leave unset fields unset in the override variant", () => {
    expect(override.parse({})).toEqual({});
    expect(override.parse({ gate: { names: [] } })).toEqual({ gate: { names: [] } });
  });

  it("validate the same way in both variants", () => {
    for (const schema of [settings, override]) {
      expect(schema.safeParse({ gate: { count: -1 } }).success).toBe(false);
      expect(schema.safeParse({ mode: "z" }).success).toBe(false);
      expect(schema.safeParse({ gate: { other: 1 } }).success).toBe(false);
    }
  });

  it("carry the descriptions and the group's title into both variants", () => {
    for (const schema of [settings, override]) {
      const json = z.toJSONSchema(schema, { io: "input" }) as JsonField;
      expect(json.properties?.gate?.title).toBe("Gate");
      expect(json.properties?.gate?.description).toBe("The gate.");
      expect(json.properties?.gate?.properties?.count?.description).toBe("How many.");
      expect(json.properties?.mode?.description).toBe("The mode.");
      expect(json.properties?.extra?.description).toBe("Extra.");
    }
  });
});
