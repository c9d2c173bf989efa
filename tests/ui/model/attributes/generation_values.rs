// `identity` is "always" or "by default"; sequence options are integers that fit
// a bigint; `cycle` is a flag.
#[migrate::model]
pub struct Ticket {
    #[column(primary_key, identity = "sometimes")]
    pub id: i64,
    #[column(serial, sequence(start = "ten", increment = 99999999999999999999, cycle = true, step = 2))]
    pub number: i64,
}

fn main() {
    let _ = Ticket { id: 0, number: 0 };
}
