// Stands in for the chrono crate, whose types migrate supports behind its
// `chrono` feature, which is off here.
mod chrono {
    pub struct DateTime<Tz>(pub Tz);
    pub struct Utc;
}

#[migrate::model]
pub struct Event {
    #[column(primary_key)]
    pub id: i64,
    pub at: Option<chrono::DateTime<chrono::Utc>>,
}

fn main() {
    let _ = Event { id: 1, at: None };
}
