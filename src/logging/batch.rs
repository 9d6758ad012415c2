//! The log's writer: a line is appended to a shared buffer (a lock held for a copy, no system call, no
//! allocation once the buffer has grown) and a writer thread writes the whole buffer in one `write(2)`
//! a few milliseconds after the first line of a batch arrives. The request that logs wakes that thread
//! only when the buffer was empty, so a busy emulator pays one wake-up per batch, not per line.
//!
//! Measured against `tracing-appender`'s non-blocking writer (a channel message and a wake-up per
//! line): that cost 41 µs of CPU per DescribeMetricFilters request, more than the 36 µs of writing each
//! line to stderr directly; see the README's log section for this writer's figures.
//!
//! When the reader of the stream falls behind by [`MAX_PENDING`] bytes, lines are dropped and counted
//! rather than requests slowed to the reader's pace.

use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Bytes that may wait for the writer thread (about 10,000 lines of text log).
pub const MAX_PENDING: usize = 2 << 20;

/// How long the writer thread gathers lines after the first of a batch before writing them.
pub const GATHER: Duration = Duration::from_millis(10);

struct Shared {
    pending: Mutex<Vec<u8>>,
    dropped: AtomicUsize,
    stop: AtomicBool,
}

/// What the log layer writes to (`tracing_subscriber::fmt::MakeWriter`): cheap to clone.
#[derive(Clone)]
pub struct BatchWriter {
    shared: Arc<Shared>,
    thread: std::thread::Thread,
}

/// Stops the writer thread when dropped, after it has written everything pending.
pub struct Guard {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

/// Starts the writer thread over `out`.
pub fn start<W: Write + Send + 'static>(mut out: W) -> std::io::Result<(BatchWriter, Guard)> {
    let shared = Arc::new(Shared {
        pending: Mutex::new(Vec::new()),
        dropped: AtomicUsize::new(0),
        stop: AtomicBool::new(false),
    });
    let theirs = shared.clone();
    let handle = std::thread::Builder::new()
        .name("orgwatch-log".into())
        .spawn(move || {
            let mut batch = Vec::new();
            loop {
                std::thread::park();
                gather(&theirs.stop);
                // Read after gathering: the guard's wake-up may have been the one that ended it.
                let stopping = theirs.stop.load(Ordering::Acquire);
                if let Ok(mut pending) = theirs.pending.lock() {
                    std::mem::swap(&mut *pending, &mut batch);
                }
                if !batch.is_empty() {
                    // A stream that refuses the bytes loses them; nothing else can be done with a log.
                    let _ = out.write_all(&batch).and_then(|()| out.flush());
                    batch.clear();
                }
                if stopping {
                    return;
                }
            }
        })?;
    let writer = BatchWriter {
        shared: shared.clone(),
        thread: handle.thread().clone(),
    };
    Ok((
        writer,
        Guard {
            shared,
            thread: Some(handle),
        },
    ))
}

/// Waits [`GATHER`] (parking spuriously woken is fine) unless asked to stop.
fn gather(stop: &AtomicBool) {
    let until = Instant::now() + GATHER;
    loop {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() || stop.load(Ordering::Acquire) {
            return;
        }
        std::thread::park_timeout(left);
    }
}

impl BatchWriter {
    /// Lines dropped because [`MAX_PENDING`] bytes were already waiting.
    pub fn dropped(&self) -> usize {
        self.shared.dropped.load(Ordering::Relaxed)
    }

    fn append(&self, line: &[u8]) {
        let was_empty = match self.shared.pending.lock() {
            Ok(mut pending) => {
                if pending.len() + line.len() > MAX_PENDING {
                    self.shared.dropped.fetch_add(1, Ordering::Relaxed);
                    return;
                }
                let was_empty = pending.is_empty();
                pending.extend_from_slice(line);
                was_empty
            }
            Err(_) => return,
        };
        if was_empty {
            self.thread.unpark();
        }
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::Release);
        if let Some(handle) = self.thread.take() {
            handle.thread().unpark();
            let _ = handle.join();
        }
    }
}

/// One event's bytes: the fmt layer writes a formatted line in one `write_all`.
pub struct Line<'a>(&'a BatchWriter);

impl Write for Line<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.append(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for BatchWriter {
    type Writer = Line<'a>;
    fn make_writer(&'a self) -> Line<'a> {
        Line(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stream the test can read after the writer thread wrote to it.
    #[derive(Clone, Default)]
    struct Sink(Arc<Mutex<Vec<u8>>>);

    impl Write for Sink {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn every_line_is_written_in_order_by_the_time_the_guard_is_dropped() {
        let sink = Sink::default();
        let (writer, guard) = start(sink.clone()).unwrap();
        for i in 0..1000 {
            writeln!(Line(&writer), "line {i}").unwrap();
        }
        drop(guard);
        let text = String::from_utf8(sink.0.lock().unwrap().clone()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 1000);
        assert_eq!(lines[0], "line 0");
        assert_eq!(lines[999], "line 999");
        assert_eq!(writer.dropped(), 0);
    }

    #[test]
    fn lines_reach_the_stream_without_a_stop_after_the_gathering_time() {
        let sink = Sink::default();
        let (writer, _guard) = start(sink.clone()).unwrap();
        writeln!(Line(&writer), "hello").unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        while sink.0.lock().unwrap().is_empty() {
            assert!(Instant::now() < deadline, "never written");
            std::thread::sleep(GATHER);
        }
        assert_eq!(&*sink.0.lock().unwrap(), b"hello\n");
    }

    /// A stream that never takes its bytes: lines past the bound are dropped and counted, and the
    /// writer never blocks the caller.
    #[test]
    fn a_stalled_reader_costs_dropped_lines_not_a_blocked_caller() {
        struct Stalled(std::sync::mpsc::Receiver<()>);
        impl Write for Stalled {
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                let _ = self.0.recv();
                Ok(buf.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let (release, stalled) = std::sync::mpsc::channel();
        let (writer, guard) = start(Stalled(stalled)).unwrap();
        let line = [b'x'; 1023];
        // The first batch is taken by the (stalled) thread; the buffer then fills to the bound.
        for _ in 0..(3 * MAX_PENDING / 1024) {
            Line(&writer).write_all(&line).unwrap();
            Line(&writer).write_all(b"\n").unwrap();
        }
        assert!(writer.dropped() > 0);
        drop(release);
        drop(guard);
    }
}
