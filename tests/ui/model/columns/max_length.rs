// `max_length` is a VARCHAR length: from 1 to u32::MAX, and not beside `sql_type`,
// which is the whole type.
#[migrate::model]
pub struct Profile {
    #[column(primary_key)]
    pub id: i64,
    #[column(max_length = 0)]
    pub nick: String,
    #[column(max_length = 5000000000)]
    pub bio: String,
    #[column(max_length = 40u8)]
    pub motto: String,
    #[column(sql_type = "CHAR(2)", max_length = 2)]
    pub country: String,
}

fn main() {
    let _ = Profile {
        id: 1,
        nick: String::new(),
        bio: String::new(),
        motto: String::new(),
        country: String::new(),
    };
}
