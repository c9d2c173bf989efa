pub struct Money {
    pub cents: i64,
}

#[migrate::model]
pub struct Payment {
    #[column(primary_key)]
    pub id: i64,
    pub amount: Money,
}

fn main() {
    let _ = Payment { id: 1, amount: Money { cents: 1 } };
}
