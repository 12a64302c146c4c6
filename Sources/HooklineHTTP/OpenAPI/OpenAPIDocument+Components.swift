extension OpenAPIDocument {
    /// The `components` object: security scheme, shared parameters, error responses and schemas.
    static let components = #"""
{
  "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
  "parameters": {
    "appId": {"name":"app_id","in":"path","required":true,"schema":{"type":"string"},"description":"The application id (app_\u2026) or uid."},
    "endpointId": {"name":"endpoint_id","in":"path","required":true,"schema":{"type":"string"},"description":"The endpoint id (ep_\u2026) or uid."},
    "msgId": {"name":"msg_id","in":"path","required":true,"schema":{"type":"string"},"description":"The message id (msg_\u2026) or its eventId."},
    "taskId": {"name":"task_id","in":"path","required":true,"schema":{"type":"string"},"description":"The task id (qtask_\u2026)."},
    "eventTypeName": {"name":"name","in":"path","required":true,"schema":{"type":"string"},"description":"The event type name."},
    "limit": {"name":"limit","in":"query","required":false,"schema":{"type":"integer","minimum":1,"maximum":250,"default":50},"description":"The most items to return."},
    "iterator": {"name":"iterator","in":"query","required":false,"schema":{"type":"string"},"description":"The iterator of a previous page; a leading '-' pages backwards (prevIterator)."},
    "order": {"name":"order","in":"query","required":false,"schema":{"type":"string"},"description":"Accepted for SDK compatibility and ignored: lists are newest first."},
    "getIfExists": {"name":"get_if_exists","in":"query","required":false,"schema":{"type":"boolean","default":false},"description":"Return the application with this uid if it exists."},
    "withContent": {"name":"with_content","in":"query","required":false,"schema":{"type":"boolean","default":true},"description":"Include the payload."},
    "eventTypes": {"name":"event_types","in":"query","required":false,"schema":{"type":"array","items":{"type":"string"}},"description":"Only these event types (comma-joined)."},
    "channel": {"name":"channel","in":"query","required":false,"schema":{"type":"string"},"description":"Only messages on this channel."},
    "tag": {"name":"tag","in":"query","required":false,"schema":{"type":"string"},"description":"Only messages with this tag."},
    "before": {"name":"before","in":"query","required":false,"schema":{"type":"string","format":"date-time"},"description":"Only items created before this time; without a zone it is UTC."},
    "after": {"name":"after","in":"query","required":false,"schema":{"type":"string","format":"date-time"},"description":"Only items created after this time; without a zone it is UTC."},
    "since": {"name":"since","in":"query","required":false,"schema":{"type":"string","format":"date-time"},"description":"Window start (inclusive); without a zone it is UTC."},
    "until": {"name":"until","in":"query","required":false,"schema":{"type":"string","format":"date-time"},"description":"Window end (exclusive); without a zone it is UTC."},
    "status": {"name":"status","in":"query","required":false,"schema":{"type":"integer","minimum":0,"maximum":4},"description":"Attempt status: 0 success, 1 pending, 2 fail, 3 sending, 4 canceled."},
    "messageStatus": {"name":"status","in":"query","required":false,"schema":{"type":"integer","minimum":0,"maximum":4},"description":"Only messages with a delivery in this status: 0 success, 1 pending, 2 fail, 3 sending, 4 canceled."},
    "statusCodeClass": {"name":"status_code_class","in":"query","required":false,"schema":{"type":"integer","enum":[0,100,200,300,400,500]},"description":"Response status class; 0 is no response."},
    "endpointIdFilter": {"name":"endpoint_id","in":"query","required":false,"schema":{"type":"string"},"description":"Only attempts to this endpoint (id or uid)."},
    "idempotencyKey": {"name":"idempotency-key","in":"header","required":false,"schema":{"type":"string"},"description":"The first 2xx response to this key, credentials and URL is replayed for 12 h; concurrent duplicates wait for it."}
  },
  "responses": {
    "Unauthorized": {"description":"Missing or wrong API key (authentication_failed).","content":{"application/json":{"schema":{"$ref":"#/components/schemas/HttpError"}}}},
    "NotFound": {"description":"No such resource (not_found).","content":{"application/json":{"schema":{"$ref":"#/components/schemas/HttpError"}}}},
    "Invalid": {"description":"A field failed validation; loc names it.","content":{"application/json":{"schema":{"$ref":"#/components/schemas/ValidationError"}}}},
    "Conflict": {"description":"Duplicate uid or eventId (conflict).","content":{"application/json":{"schema":{"$ref":"#/components/schemas/HttpError"}}}},
    "BadRequest": {"description":"The body is not valid JSON (invalid_json).","content":{"application/json":{"schema":{"$ref":"#/components/schemas/HttpError"}}}},
    "TooLarge": {"description":"The body exceeds the limit (payload_too_large).","content":{"application/json":{"schema":{"$ref":"#/components/schemas/HttpError"}}}}
  },
  "schemas": {
    "HealthOut": {"type":"object","properties":{"status":{"type":"string"}},"required":["status"]},
    "ApplicationIn": {"type":"object","properties":{"name":{"type":"string"},"uid":{"type":["string","null"],"pattern":"^[a-zA-Z0-9\\-_.]+$","minLength":1,"maxLength":256},"metadata":{"type":["object","null"],"additionalProperties":{"type":"string"}},"throttleRate":{"type":["integer","null"]}},"required":["name"]},
    "ApplicationPatch": {"type":"object","properties":{"name":{"type":"string"},"uid":{"type":["string","null"],"pattern":"^[a-zA-Z0-9\\-_.]+$","minLength":1,"maxLength":256},"metadata":{"type":["object","null"],"additionalProperties":{"type":"string"}},"throttleRate":{"type":["integer","null"]}}},
    "ApplicationOut": {"type":"object","properties":{"id":{"type":"string"},"uid":{"type":["string","null"]},"name":{"type":"string"},"metadata":{"type":"object","additionalProperties":{"type":"string"}},"throttleRate":{"type":["integer","null"]},"createdAt":{"type":"string","format":"date-time"},"updatedAt":{"type":"string","format":"date-time"}},"required":["id","name","metadata","createdAt","updatedAt"]},
    "EndpointIn": {"type":"object","properties":{"url":{"type":"string","format":"uri"},"description":{"type":["string","null"]},"eventTypes":{"type":["array","null"],"items":{"type":"string"}},"filterTypes":{"type":["array","null"],"items":{"type":"string"}},"channels":{"type":["array","null"],"items":{"type":"string"}},"secret":{"type":["string","null"]},"disabled":{"type":["boolean","null"]},"uid":{"type":["string","null"],"pattern":"^[a-zA-Z0-9\\-_.]+$","minLength":1,"maxLength":256},"metadata":{"type":["object","null"],"additionalProperties":{"type":"string"}},"headers":{"type":["object","null"],"additionalProperties":{"type":"string"}},"throttleRate":{"type":["integer","null"]}},"required":["url"]},
    "EndpointPatch": {"type":"object","properties":{"url":{"type":"string","format":"uri"},"description":{"type":["string","null"]},"eventTypes":{"type":["array","null"],"items":{"type":"string"}},"filterTypes":{"type":["array","null"],"items":{"type":"string"}},"channels":{"type":["array","null"],"items":{"type":"string"}},"secret":{"type":["string","null"]},"disabled":{"type":["boolean","null"]},"uid":{"type":["string","null"],"pattern":"^[a-zA-Z0-9\\-_.]+$","minLength":1,"maxLength":256},"metadata":{"type":["object","null"],"additionalProperties":{"type":"string"}},"headers":{"type":["object","null"],"additionalProperties":{"type":"string"}},"throttleRate":{"type":["integer","null"]}}},
    "EndpointOut": {"type":"object","properties":{"id":{"type":"string"},"uid":{"type":["string","null"]},"url":{"type":"string"},"description":{"type":"string"},"eventTypes":{"type":["array","null"],"items":{"type":"string"}},"filterTypes":{"type":["array","null"],"items":{"type":"string"}},"channels":{"type":["array","null"],"items":{"type":"string"}},"disabled":{"type":"boolean"},"metadata":{"type":"object","additionalProperties":{"type":"string"}},"throttleRate":{"type":["integer","null"]},"version":{"type":"integer"},"createdAt":{"type":"string","format":"date-time"},"updatedAt":{"type":"string","format":"date-time"}},"required":["id","url","description","metadata","disabled","version","createdAt","updatedAt"]},
    "EndpointSecretOut": {"type":"object","properties":{"key":{"type":"string","pattern":"^whsec_"}},"required":["key"]},
    "EndpointSecretRotateIn": {"type":"object","properties":{"key":{"type":["string","null"]},"gracePeriodSeconds":{"type":["integer","null"],"minimum":0,"maximum":604800}}},
    "EndpointHeadersIn": {"type":"object","properties":{"headers":{"type":"object","additionalProperties":{"type":"string"}}},"required":["headers"]},
    "EndpointHeadersPatchIn": {"type":"object","properties":{"headers":{"type":"object","additionalProperties":{"type":"string"}},"deleteHeaders":{"type":["array","null"],"items":{"type":"string"}}},"required":["headers"]},
    "EndpointHeadersOut": {"type":"object","properties":{"headers":{"type":"object","additionalProperties":{"type":"string"}},"sensitive":{"type":"array","items":{"type":"string"}}},"required":["headers","sensitive"]},
    "EndpointStats": {"type":"object","properties":{"success":{"type":"integer"},"pending":{"type":"integer"},"sending":{"type":"integer"},"fail":{"type":"integer"},"canceled":{"type":"integer"}},"required":["success","pending","sending","fail","canceled"]},
    "RecoverIn": {"type":"object","properties":{"since":{"type":"string","format":"date-time"},"until":{"type":["string","null"],"format":"date-time"}},"required":["since"]},
    "BackgroundTaskOut": {"type":"object","properties":{"id":{"type":"string"},"status":{"type":"string","enum":["running","finished","failed"]},"task":{"type":"string","enum":["endpoint.recover"]},"data":{"type":"object","properties":{"messagesSent":{"type":"integer"}}},"updatedAt":{"type":"string","format":"date-time"}},"required":["id","status","task","data","updatedAt"]},
    "MessageIn": {"type":"object","properties":{"eventType":{"type":"string","pattern":"^[a-zA-Z0-9\\-_.]+$","minLength":1,"maxLength":256},"payload":{"type":"object"},"eventId":{"type":["string","null"],"pattern":"^[a-zA-Z0-9\\-_.]+$","minLength":1,"maxLength":256},"channels":{"type":["array","null"],"items":{"type":"string"}},"tags":{"type":["array","null"],"items":{"type":"string"}},"deliverAt":{"type":["string","null"],"format":"date-time"}},"required":["eventType","payload"]},
    "MessageOut": {"type":"object","properties":{"id":{"type":"string"},"eventType":{"type":"string"},"eventId":{"type":["string","null"]},"payload":{"type":"object"},"channels":{"type":["array","null"],"items":{"type":"string"}},"tags":{"type":["array","null"],"items":{"type":"string"}},"timestamp":{"type":"string","format":"date-time"}},"required":["id","eventType","payload","timestamp"]},
    "MessageAttemptOut": {"type":"object","properties":{"id":{"type":"string"},"url":{"type":"string"},"response":{"type":"string"},"responseStatusCode":{"type":"integer"},"responseDurationMs":{"type":"integer"},"status":{"type":"integer","enum":[0,1,2,3,4]},"statusText":{"type":"string"},"triggerType":{"type":"integer","enum":[0,1]},"msgId":{"type":"string"},"endpointId":{"type":"string"},"timestamp":{"type":"string","format":"date-time"}},"required":["id","url","response","responseStatusCode","responseDurationMs","status","statusText","triggerType","msgId","endpointId","timestamp"]},
    "EventTypeIn": {"type":"object","properties":{"name":{"type":"string","pattern":"^[a-zA-Z0-9\\-_.]+$","minLength":1,"maxLength":256},"description":{"type":"string"},"archived":{"type":["boolean","null"]}},"required":["name","description"]},
    "EventTypeOut": {"type":"object","properties":{"name":{"type":"string"},"description":{"type":"string"},"archived":{"type":"boolean"},"deprecated":{"type":"boolean"},"createdAt":{"type":"string","format":"date-time"},"updatedAt":{"type":"string","format":"date-time"}},"required":["name","description","archived","deprecated","createdAt","updatedAt"]},
    "EmptyOut": {"type":"object","properties":{}},
    "ListApplicationOut": {"type":"object","properties":{"data":{"type":"array","items":{"$ref":"#/components/schemas/ApplicationOut"}},"iterator":{"type":["string","null"]},"prevIterator":{"type":["string","null"]},"done":{"type":"boolean"}},"required":["data","iterator","done"]},
    "ListEndpointOut": {"type":"object","properties":{"data":{"type":"array","items":{"$ref":"#/components/schemas/EndpointOut"}},"iterator":{"type":["string","null"]},"prevIterator":{"type":["string","null"]},"done":{"type":"boolean"}},"required":["data","iterator","done"]},
    "ListMessageOut": {"type":"object","properties":{"data":{"type":"array","items":{"$ref":"#/components/schemas/MessageOut"}},"iterator":{"type":["string","null"]},"prevIterator":{"type":["string","null"]},"done":{"type":"boolean"}},"required":["data","iterator","done"]},
    "ListMessageAttemptOut": {"type":"object","properties":{"data":{"type":"array","items":{"$ref":"#/components/schemas/MessageAttemptOut"}},"iterator":{"type":["string","null"]},"prevIterator":{"type":["string","null"]},"done":{"type":"boolean"}},"required":["data","iterator","done"]},
    "ListEventTypeOut": {"type":"object","properties":{"data":{"type":"array","items":{"$ref":"#/components/schemas/EventTypeOut"}},"iterator":{"type":["string","null"]},"prevIterator":{"type":["string","null"]},"done":{"type":"boolean"}},"required":["data","iterator","done"]},
    "HttpError": {"type":"object","properties":{"code":{"type":"string"},"detail":{"type":"string"}},"required":["code","detail"]},
    "ValidationError": {"type":"object","properties":{"detail":{"type":"array","items":{"type":"object","properties":{"loc":{"type":"array","items":{"type":"string"}},"msg":{"type":"string"},"type":{"type":"string"}},"required":["loc","msg","type"]}}},"required":["detail"]}
  }
}
"""#
}
