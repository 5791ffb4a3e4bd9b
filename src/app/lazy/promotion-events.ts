/**
 * The promotion event handlers' work loaded on the first event that needs it (issue 17): promotion-events.ts reaches
 * the planners, the gates, the analyses and the config schema (zod).
 */
import type * as Real from "../promotion/promotion-events.js";
import { onFirstCall } from "./on-first-call.js";

const real = () => import("../promotion/promotion-events.js");

export const promoteOnPush = onFirstCall<typeof Real.promoteOnPush>(async () => (await real()).promoteOnPush);
export const bakeOnMerge = onFirstCall<typeof Real.bakeOnMerge>(async () => (await real()).bakeOnMerge);
export const regateOnReview = onFirstCall<typeof Real.regateOnReview>(async () => (await real()).regateOnReview);
export const regateOnCheck = onFirstCall<typeof Real.regateOnCheck>(async () => (await real()).regateOnCheck);
export const regateOnIncident = onFirstCall<typeof Real.regateOnIncident>(async () => (await real()).regateOnIncident);
