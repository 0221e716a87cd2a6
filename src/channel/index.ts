/**
 * The bot behind 8x8's own channels: `ChatGatewayAdapter` and its options.
 */
export { ChatGatewayAdapter } from './chat-gateway-adapter';
export { resolveAdapterOptions } from './options';
export type { ChatGatewayAdapterOptions, ChatGatewayAdapterGateway, ChannelBot, AfterAgent } from './options';
export { eventToCustomerInput } from './event-to-activity';
export type { CustomerInput, CustomerSeen } from './event-to-activity';
