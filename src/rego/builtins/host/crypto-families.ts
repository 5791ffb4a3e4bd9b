/** The host builtin families of tokens, crypto, X.509, AWS request signing and UUIDs (OPA's tier C, pure part). */
import { awsSignBuiltins } from "./aws-sign.js";
import { cryptoBuiltins } from "./crypto.js";
import { jwtBuiltins } from "./jwt.js";
import type { HostBuiltinFamily } from "./operands.js";
import { uuidBuiltins } from "./uuid.js";

export const CRYPTO_FAMILIES: readonly HostBuiltinFamily[] = [awsSignBuiltins, cryptoBuiltins, jwtBuiltins, uuidBuiltins];
