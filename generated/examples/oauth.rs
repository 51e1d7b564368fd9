//! Lists the current user's workgroups as an OAuth application, refreshing
//! the access token when it has expired and printing the new pair to store.
//!
//! ```text
//! BITRIX24_ENDPOINT=https://example.bitrix24.com/rest/ \
//! BITRIX24_ACCESS_TOKEN=... BITRIX24_REFRESH_TOKEN=... \
//! BITRIX24_CLIENT_ID=... BITRIX24_CLIENT_SECRET=... \
//!     cargo run -p bitrix24 --example oauth
//! ```

use bitrix24::{ClientBuilder, OAuthTokens, SonetGroupUserGroups};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let env = |name| std::env::var(name).ok();
    let (Some(endpoint), Some(access), Some(refresh), Some(client_id), Some(client_secret)) = (
        env("BITRIX24_ENDPOINT"),
        env("BITRIX24_ACCESS_TOKEN"),
        env("BITRIX24_REFRESH_TOKEN"),
        env("BITRIX24_CLIENT_ID"),
        env("BITRIX24_CLIENT_SECRET"),
    ) else {
        eprintln!(
            "usage: set BITRIX24_ENDPOINT, BITRIX24_ACCESS_TOKEN, BITRIX24_REFRESH_TOKEN, \
             BITRIX24_CLIENT_ID and BITRIX24_CLIENT_SECRET, then run the example"
        );
        return Ok(());
    };
    let client = ClientBuilder::oauth(endpoint, OAuthTokens::new(access, refresh))
        .oauth_app(client_id, client_secret)
        .on_token_refresh(|tokens: &OAuthTokens| {
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
