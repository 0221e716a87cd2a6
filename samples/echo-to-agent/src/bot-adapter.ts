/**
 * The Bot Framework adapter: a CloudAdapter whose auth comes from `MicrosoftAppId` and friends.
 * With no app id, inbound auth is off (the caller binds to 127.0.0.1 only, see config.ts).
 * Token checks are botbuilder's own; this file only configures them.
 */
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type Activity, type ConfigurationBotFrameworkAuthenticationOptions, type TurnContext } from 'botbuilder';
// botbuilder's own error class: CloudAdapter answers 401 only for instances of it.
import { AuthenticationError, type AuthenticateRequestResult } from 'botframework-connector';
import type { Logger } from 'botbuilder-8x8-handoff';
import type { BotAuthConfig } from './config';

// botbuilder's public-cloud settings (botframework-connector AuthenticationConstants). botbuilder
// switches to "every setting given" mode as soon as one URL is overridden, so a metadata override
// must carry the rest of the public-cloud values with it.
const PUBLIC_CLOUD = {
  ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
  ToChannelFromBotOAuthScope: 'https://api.botframework.com',
  ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
  OAuthUrl: 'https://api.botframework.com',
  ToBotFromChannelOpenIdMetadataUrl: 'https://login.botframework.com/v1/.well-known/openidconfiguration',
  ToBotFromEmulatorOpenIdMetadataUrl: 'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration',
  CallerId: 'urn:botframework:azure',
  ValidateAuthority: true,
};

/** The settings handed to botbuilder's ConfigurationBotFrameworkAuthentication. */
export function botAuthSettings(botAuth: BotAuthConfig | undefined): ConfigurationBotFrameworkAuthenticationOptions {
  const credentials = {
    MicrosoftAppId: botAuth?.appId ?? '',
    MicrosoftAppPassword: botAuth?.appPassword ?? '',
    MicrosoftAppType: botAuth?.appType ?? 'MultiTenant',
    MicrosoftAppTenantId: botAuth?.tenantId ?? '',
  };
  if (!botAuth?.openIdMetadataUrl && !botAuth?.emulatorOpenIdMetadataUrl) return credentials;
  return {
    ...credentials,
    ...PUBLIC_CLOUD,
    ToBotFromChannelOpenIdMetadataUrl: botAuth.openIdMetadataUrl ?? PUBLIC_CLOUD.ToBotFromChannelOpenIdMetadataUrl,
    ToBotFromEmulatorOpenIdMetadataUrl: botAuth.emulatorOpenIdMetadataUrl ?? PUBLIC_CLOUD.ToBotFromEmulatorOpenIdMetadataUrl,
  };
}

/**
 * botbuilder's validation, unchanged, except that a token jsonwebtoken refuses (bad signature,
 * `alg: none`, not valid yet, malformed) is reported as the 401 it is. botbuilder rethrows those
 * errors as they are, and CloudAdapter would answer 500, which reads as an outage, not an attack.
 */
class BotFrameworkTokenAuthentication extends ConfigurationBotFrameworkAuthentication {
  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    try {
      return await super.authenticateRequest(activity, authHeader);
    } catch (err) {
      const name = (err as Error | undefined)?.name;
      if (name === 'JsonWebTokenError' || name === 'NotBeforeError' || name === 'TokenExpiredError') {
        throw new AuthenticationError(`Unauthorized. ${(err as Error).message}`, 401);
      }
      throw err;
    }
  }
}

/** Creates the adapter with an `onTurnError` that logs and tells the user something went wrong. */
export function createBotAdapter(botAuth: BotAuthConfig | undefined, logger: Logger): CloudAdapter {
  const adapter = new CloudAdapter(new BotFrameworkTokenAuthentication(botAuthSettings(botAuth)));
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    logger.error({ err: { name: error.name, message: error.message }, activityType: context.activity.type }, 'The bot failed a turn');
    await context.sendActivity('Sorry, something went wrong on my side. Please try again.').catch(() => undefined);
  };
  return adapter;
}
