/** SerialQueue: the per-key FIFO under the coordinators' locks (in memory, and the local queue before Redis). */
import { SerialQueue } from "../../../src/app/coordination/serial-queue.js";

test("SerialQueue runs tasks of one key one after another, other keys alongside, and goes on after a failure", async () => {
  const queue = new SerialQueue();
  const order: string[] = [];
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const a1 = queue.run("a", async () => {
    order.push("a1 start");
    await gate;
    order.push("a1 end");
    throw new Error("a1 failed");
  });
  const a2 = queue.run("a", async () => {
    order.push("a2");
    return 2;
  });
  const b1 = queue.run("b", async () => {
    order.push("b1");
    return 1;
  });
  await b1;
  expect(order).toEqual(["a1 start", "b1"]);
  release();
  await expect(a1).rejects.toThrow("a1 failed");
  await expect(a2).resolves.toBe(2);
  expect(order).toEqual(["a1 start", "b1", "a1 end", "a2"]);
});
