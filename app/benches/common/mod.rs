//! What the browser benchmarks share: giving the page a moment between steps, and timing
//! a number of runs of some work after one.

use std::time::Duration;

use wasm_bindgen_test::Instant;

/// Gives the page a moment: the runner talks to the page between steps, and a page busy
/// for long is taken for dead.
pub async fn pause() {
    gloo::timers::future::sleep(Duration::ZERO).await;
}

/// Times `iters` runs of `work`, after a pause.
pub async fn timed(iters: u64, mut work: impl FnMut()) -> Duration {
    pause().await;
    let start = Instant::now();
    for _ in 0..iters {
        work();
    }
    start.elapsed()
}
