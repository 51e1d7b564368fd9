//! Lists the current user's workgroups as an OAuth application, refreshing
//! the access token when it has expired and printing the new pair to store.
//!
//! ```text
//! B24_ENDPOINT=https://example.bitrix24.com/rest/ \
//! B24_ACCESS_TOKEN=... B24_REFRESH_TOKEN=... \
//! B24_CLIENT_ID=... B24_CLIENT_SECRET=... \
//!     cargo run -p bitrix24-examples --example oauth
//! ```

use bitrix24::{ClientBuilder, OAuthTokens, SonetGroupUserGroups};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let env = |name| std::env::var(name).ok();
    let (Some(endpoint), Some(access), Some(refresh), Some(client_id), Some(client_secret)) = (
        env("B24_ENDPOINT"),
        env("B24_ACCESS_TOKEN"),
        env("B24_REFRESH_TOKEN"),
        env("B24_CLIENT_ID"),
        env("B24_CLIENT_SECRET"),
    ) else {
        eprintln!(
            "usage: set B24_ENDPOINT, B24_ACCESS_TOKEN, B24_REFRESH_TOKEN, \
             B24_CLIENT_ID and B24_CLIENT_SECRET, then run the example"
        );
        return Ok(());
    };
    let client = ClientBuilder::oauth(endpoint, OAuthTokens::new(access, refresh))
        .oauth_app(client_id, client_secret)
        .token_store(|tokens: &OAuthTokens| {
            // A real application stores the pair; the old refresh token no longer works.
            eprintln!(
                "new tokens issued, expiring at {:?}; store them",
                tokens.expires_at()
            );
        })
        .build()?;
    let groups = client.call(SonetGroupUserGroups::new()).await?.result;
    for group in groups {
        println!("{} {} ({})", group.group_id, group.group_name, group.role);
    }
    Ok(())
}
