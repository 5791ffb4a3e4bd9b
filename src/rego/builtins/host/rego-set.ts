/** A Rego set among host builtin values (elements distinct, in no particular order); see value-text.ts. */
export class RegoSet {
  constructor(readonly items: readonly unknown[]) {}
}
