#[migrate::model(primary_key(tenant_id, id))]
pub struct Invoice {
    #[column(primary_key)]
    pub id: i64,
    pub tenant_id: i64,
}

#[migrate::model]
pub struct Line {
    #[column(primary_key)]
    pub invoice_id: i64,
    #[column(primary_key)]
    pub number: i32,
}

fn main() {
    let _ = Invoice { id: 1, tenant_id: 1 };
    let _ = Line { invoice_id: 1, number: 1 };
}
