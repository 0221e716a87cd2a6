/**
 * The Bot Framework adapter: a CloudAdapter whose auth comes from `MicrosoftAppId` and friends.
 * With no app id, inbound auth is off (the caller binds to 127.0.0.1 only, see start-sample.ts).
 */
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type TurnContext } from 'botbuilder';
import type { Logger } from 'botbuilder-8x8-handoff';
import type { BotAuthConfig } from './config';

/** Creates the adapter with an `onTurnError` that logs and tells the user something went wrong. */
export function createBotAdapter(botAuth: BotAuthConfig | undefined, logger: Logger): CloudAdapter {
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: botAuth?.appId ?? '',
    MicrosoftAppPassword: botAuth?.appPassword ?? '',
    MicrosoftAppType: botAuth?.appType ?? 'MultiTenant',
    MicrosoftAppTenantId: botAuth?.tenantId ?? '',
  });
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    logger.error({ err: { name: error.name, message: error.message }, activityType: context.activity.type }, 'The bot failed a turn');
    await context.sendActivity('Sorry, something went wrong on my side. Please try again.').catch(() => undefined);
  };
  return adapter;
}
