//! A calm live answer: the camera's per-frame answers averaged over about a second,
//! with hysteresis before changing side, and the visible text changed at most about
//! three times a second. (Measured before: 148 changes of the label in 8 s.)

use std::collections::VecDeque;

use daynight_core::Label;

/// How far back frames are averaged.
pub const WINDOW_MS: f64 = 1000.0;
/// The shortest time between two changes of the visible answer: under three a second.
pub const MIN_INTERVAL_MS: f64 = 350.0;
/// How far past even (in log-odds) the average must go to change side: about 62 %
/// for the other side, so an answer hovering around 50 % does not flicker.
pub const HYSTERESIS: f64 = 0.5;

/// What the live label shows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Smoothed {
    /// The side shown.
    pub label: Label,
    /// The averaged probability of night.
    pub p_night: f64,
}

/// Averages the camera's answers; see the module comment.
#[derive(Debug, Default)]
pub struct Smoother {
    /// (time in ms, log-odds of night) of the frames in the window.
    frames: VecDeque<(f64, f64)>,
    shown: Option<Smoothed>,
    shown_at: f64,
}

fn logit(p: f64) -> f64 {
    let p = p.clamp(1e-6, 1.0 - 1e-6);
    (p / (1.0 - p)).ln()
}

impl Smoother {
    /// Adds a frame's answer at `now_ms`; returns what to show when the visible
    /// answer should change now, `None` to leave it as it is.
    pub fn push(&mut self, now_ms: f64, p_night: f64) -> Option<Smoothed> {
        self.frames.push_back((now_ms, logit(p_night)));
        while self.frames.front().is_some_and(|&(t, _)| t < now_ms - WINDOW_MS) {
            self.frames.pop_front();
        }
        let mean = self.frames.iter().map(|&(_, l)| l).sum::<f64>() / self.frames.len() as f64;
        let label = match self.shown.map(|s| s.label) {
            // The side changes only once the average is clearly on the other side.
            Some(Label::Night) if mean > -HYSTERESIS => Label::Night,
            Some(Label::Day) if mean < HYSTERESIS => Label::Day,
            _ if mean >= 0.0 => Label::Night,
            _ => Label::Day,
        };
        let next = Smoothed { label, p_night: 1.0 / (1.0 + (-mean).exp()) };
        if self.shown.is_some() && now_ms - self.shown_at < MIN_INTERVAL_MS {
            return None;
        }
        self.shown = Some(next);
        self.shown_at = now_ms;
        Some(next)
    }

    /// Forgets everything: a new camera session starts afresh.
    pub fn reset(&mut self) {
        *self = Smoother::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The times at which the visible answer changed, for frames at `fps` for `seconds`.
    fn changes(fps: f64, seconds: f64, p: impl Fn(usize) -> f64) -> Vec<(f64, Smoothed)> {
        let mut smoother = Smoother::default();
        let frames = (fps * seconds) as usize;
        (0..frames)
            .filter_map(|i| {
                let t = i as f64 * 1000.0 / fps;
                smoother.push(t, p(i)).map(|s| (t, s))
            })
            .collect()
    }

    #[test]
    fn a_flickering_camera_changes_the_label_at_most_three_times_a_second() {
        // Every other frame says the other side, at 30 fps for 8 s.
        let shown = changes(30.0, 8.0, |i| if i % 2 == 0 { 0.2 } else { 0.8 });
        assert!(shown.len() as f64 <= 3.0 * 8.0, "{} updates in 8 s", shown.len());
        for pair in shown.windows(2) {
            assert!(pair[1].0 - pair[0].0 >= MIN_INTERVAL_MS, "{pair:?}");
        }
        let sides: Vec<Label> = shown.iter().map(|(_, s)| s.label).collect();
        assert!(sides.windows(2).filter(|w| w[0] != w[1]).count() <= 1, "hovering at 50 % keeps one side: {sides:?}");
    }

    #[test]
    fn a_real_change_of_scene_changes_side_within_about_a_second() {
        // Day for 3 s, then night.
        let shown = changes(30.0, 6.0, |i| if i < 90 { 0.05 } else { 0.97 });
        assert_eq!(shown.first().map(|(_, s)| s.label), Some(Label::Day));
        let turned = shown.iter().find(|(_, s)| s.label == Label::Night).map(|(t, _)| *t).expect("turned night");
        assert!((3000.0..=4500.0).contains(&turned), "turned night at {turned} ms");
        assert_eq!(shown.last().map(|(_, s)| s.label), Some(Label::Night));
    }

    #[test]
    fn the_first_frame_is_shown_at_once_and_a_reset_starts_afresh() {
        let mut smoother = Smoother::default();
        assert_eq!(smoother.push(0.0, 0.9).map(|s| s.label), Some(Label::Night));
        assert_eq!(smoother.push(10.0, 0.9), None, "too soon");
        smoother.reset();
        assert_eq!(smoother.push(20.0, 0.1).map(|s| s.label), Some(Label::Day));
    }
}
