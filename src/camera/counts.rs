//! Counting camera frames: how many the camera showed, how many were classified.

/// How many camera frames the current session saw, and how many of them were not
/// classified because the previous frame was still in flight.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FrameCounts {
    /// Frames the video presented since the session's first one.
    pub seen: u32,
    /// Of those, frames not classified: the previous one was still in flight, or the
    /// page was too busy to be called back for them at all.
    pub dropped: u32,
    /// `presentedFrames` of the session's first frame (see `super::frames`).
    first_presented: Option<u32>,
}

impl FrameCounts {
    /// Counts a frame (`presented`: the video's `presentedFrames`, when known),
    /// `classified` or dropped. Frames shown between two callbacks, which the page
    /// never saw, count as dropped too.
    pub fn record(&mut self, presented: Option<u32>, classified: bool) {
        let seen = match presented {
            Some(n) => n.wrapping_sub(*self.first_presented.get_or_insert(n)) + 1,
            None => self.seen + 1,
        };
        let unseen = seen.saturating_sub(self.seen + 1);
        self.dropped += unseen + u32::from(!classified);
        self.seen = self.seen.max(seen);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_between_two_callbacks_count_as_dropped() {
        let mut counts = FrameCounts::default();
        // presentedFrames starts anywhere: the session counts from its first frame.
        counts.record(Some(100), true);
        assert_eq!((counts.seen, counts.dropped), (1, 0));
        counts.record(Some(101), false);
        assert_eq!((counts.seen, counts.dropped), (2, 1), "busy: dropped");
        counts.record(Some(105), true);
        assert_eq!((counts.seen, counts.dropped), (6, 4), "102–104 were never seen");
        counts.record(Some(105), true);
        assert_eq!(counts.seen, 6, "the same frame again does not count twice");
    }

    #[test]
    fn without_frame_numbers_every_callback_is_a_frame() {
        let mut counts = FrameCounts::default();
        for classified in [true, false, true] {
            counts.record(None, classified);
        }
        assert_eq!((counts.seen, counts.dropped), (3, 1));
    }
}
