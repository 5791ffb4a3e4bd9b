/** The host builtin families of tokens, crypto, X.509, AWS request signing and UUIDs (OPA's tier C, pure part). */
import { awsSignBuiltins } from "./aws-sign.js";
import { cryptoBuiltins } from "./crypto.js";
import { jwtBuiltins } from "./jwt.js";
import type { HostBuiltinFamily } from "./operands.js";
import { uuidBuiltins } from "./uuid.js";
import { x509Builtins } from "./x509.js";

export const CRYPTO_FAMILIES: readonly HostBuiltinFamily[] = [awsSignBuiltins, cryptoBuiltins, jwtBuiltins, uuidBuiltins, x509Builtins];
