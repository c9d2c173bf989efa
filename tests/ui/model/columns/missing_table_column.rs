// Table-level `columns(...)` lists name column fields of the struct.
#[migrate::model(
    primary_key(tenant, id),
    index(columns(emial)),
    unique(columns(id, cache)),
)]
pub struct Customer {
    pub id: i64,
    pub tenant_id: i64,
    pub email: String,
    #[column(skip)]
    pub cache: Vec<u8>,
}

fn main() {
    let _ = Customer { id: 1, tenant_id: 1, email: String::new(), cache: Vec::new() };
}
