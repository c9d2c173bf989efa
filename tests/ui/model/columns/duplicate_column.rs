#[migrate::model]
pub struct Account {
    #[column(primary_key)]
    pub id: i64,
    pub email: String,
    #[column(name = "email")]
    pub email_address: String,
}

fn main() {
    let _ = Account { id: 1, email: String::new(), email_address: String::new() };
}
