//! Lists the members of a workgroup through an incoming webhook.
//!
//! ```text
//! B24_WEBHOOK_URL=https://example.bitrix24.com/rest/1/CODE/ \
//!     cargo run -p bitrix24-examples --example webhook -- 69
//! ```

use bitrix24::{ClientBuilder, Error, SonetGroupUserGet, SonetGroupUserGetError};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (Ok(url), Some(group)) = (std::env::var("B24_WEBHOOK_URL"), std::env::args().nth(1)) else {
        eprintln!("usage: B24_WEBHOOK_URL=https://PORTAL/rest/USER_ID/CODE/ webhook GROUP_ID");
        return Ok(());
    };
    let client = ClientBuilder::webhook(url)
        .user_agent("bitrix24-webhook-example")
        .build()?;
    match client
        .call(SonetGroupUserGet::new(group.parse::<u64>()?))
        .await
    {
        Ok(response) => {
            for member in response.result {
                println!("{} {}", member.user_id, member.role);
            }
        }
        Err(Error::Method(SonetGroupUserGetError::GroupNotFound)) => {
            eprintln!("group {group} does not exist or is not visible to the webhook's user");
        }
        Err(error) => return Err(error.into()),
    }
    Ok(())
}
