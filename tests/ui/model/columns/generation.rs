// A column fills itself one way: serial, identity or a stored expression, and
// never beside a default; `sequence(...)` belongs to serial and identity.
#[migrate::model]
pub struct Ticket {
    #[column(primary_key, serial, identity = "always")]
    pub id: i64,
    #[column(serial, default = "0")]
    pub number: i32,
    #[column(sequence(start = 10))]
    pub plain: i32,
    #[column(generated = "number * 2", identity = "by default")]
    pub doubled: i64,
}

fn main() {
    let _ = Ticket { id: 0, number: 0, plain: 0, doubled: 0 };
}
