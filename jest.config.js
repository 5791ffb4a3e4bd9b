/** Jest runs the TypeScript sources as ESM (node --experimental-vm-modules). Type checking is `npm run typecheck`. */
export default {
  testEnvironment: "node",
  extensionsToTreatAsEsm: [".ts"],
  roots: ["<rootDir>/test", "<rootDir>/src"],
  testMatch: ["**/*.test.ts"],
  moduleNameMapper: { "^(\\.{1,2}/.*)\\.js$": "$1" },
  transform: {
    "^.+\\.ts$": ["ts-jest", { useESM: true, diagnostics: false }],
  },
  reporters: ["default", "<rootDir>/test/helpers/summary-reporter.cjs"],
  testTimeout: 30000,
  maxWorkers: 2,
};
