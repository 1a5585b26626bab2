// Bootstrap of the classifier worker (see src/classifier.rs and src/worker.rs).
//
// The page sends one message: its own compiled WebAssembly.Module and the URL of the
// hashed JS glue that instantiates it. Loading that same module here means nothing
// is downloaded or compiled twice, and this file never changes between builds, so
// its unhashed name cannot go stale. Instantiating runs the module's start
// function, which sees a worker scope, takes over `onmessage` and says it is ready.
addEventListener(
  "message",
  async ({ data }) => {
    const glue = new URL(data.glue, location.href);
    if (glue.origin !== location.origin) throw new Error("the classifier glue must come from this site");
    const { default: init } = await import(glue.href);
    await init({ module_or_path: data.module });
  },
  { once: true },
);

// A wasm trap inside an async task surfaces as an unhandled rejection, which the
// page's `error` listener never sees: report it so the page restarts this worker.
addEventListener("unhandledrejection", (event) => {
  postMessage({ crash: String(event.reason && event.reason.message ? event.reason.message : event.reason) });
});
