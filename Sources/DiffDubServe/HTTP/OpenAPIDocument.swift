/// The OpenAPI 3 document of the API, served at `/openapi.json`: every route, every response
/// code and schema (schemathesis runs against it). Kept in step with ``APIRoutes`` by
/// `OpenAPIDocumentTests`.
package enum OpenAPIDocument {
    /// The result-changing options every job takes (`steps` .. `reference_frame`, `speaker` apart
    /// since it differs): the same fields in the upload form and in the `Options` schema of a job.
    private static let optionFields = #"""
"steps": {
  "type": "integer",
  "description": "--steps: denoising steps (default 20)"
},
"sampler": {
  "type": "string",
  "enum": [
    "ddim",
    "dpmpp2m"
  ],
  "description": "--sampler (default ddim)"
},
"fit": {
  "type": "string",
  "enum": [
    "speech",
    "shortest"
  ],
  "description": "--fit (default speech)"
},
"fps": {
  "type": "string",
  "enum": [
    "25",
    "source"
  ],
  "description": "--fps (default 25)"
},
"precision": {
  "type": "string",
  "enum": [
    "fp32",
    "bf16"
  ],
  "description": "--precision (default fp32)"
},
"seed": {
  "type": "integer",
  "minimum": 0,
  "description": "--seed of the starting noise (default 0)"
},
"one_shot": {
  "type": "boolean",
  "description": "true: --one-shot (default); false: --few-shot"
},
"reference_frame": {
  "type": "integer",
  "minimum": 0,
  "description": "--reference-frame (default 0)"
},
"""#
    /// The document.
    package static let json = #"""
{
  "openapi": "3.0.3",
  "info": {
    "title": "diffdub serve",
    "version": "1",
    "description": "Lip-sync dubbing jobs over persisted, resumable job folders. With --token every path but /, /app.js and /style.css needs Authorization: Bearer <token> (or ?token=<token> on a GET)."
  },
  "security": [
    {
      "bearerAuth": []
    },
    {
      "tokenQuery": []
    }
  ],
  "paths": {
    "/": {
      "get": {
        "summary": "The page",
        "security": [],
        "responses": {
          "200": {
            "description": "The page",
            "content": {
              "text/html": {
                "schema": {
                  "type": "string"
                }
              }
            }
          }
        }
      }
    },
    "/app.js": {
      "get": {
        "summary": "The page's script",
        "security": [],
        "responses": {
          "200": {
            "description": "The script",
            "content": {
              "text/javascript": {
                "schema": {
                  "type": "string"
                }
              }
            }
          }
        }
      }
    },
    "/style.css": {
      "get": {
        "summary": "The page's style sheet",
        "security": [],
        "responses": {
          "200": {
            "description": "The style sheet",
            "content": {
              "text/css": {
                "schema": {
                  "type": "string"
                }
              }
            }
          }
        }
      }
    },
    "/openapi.json": {
      "get": {
        "summary": "This document",
        "responses": {
          "200": {
            "description": "The OpenAPI document",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          }
        }
      }
    },
    "/api/health": {
      "get": {
        "summary": "Whether the server answers",
        "responses": {
          "200": {
            "description": "Up",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Health"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          }
        }
      }
    },
    "/api/jobs": {
      "get": {
        "summary": "Every job, oldest first",
        "responses": {
          "200": {
            "description": "The jobs",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/JobList"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          }
        }
      },
      "post": {
        "summary": "Create a job from uploads and options (checked before the job exists)",
        "requestBody": {
          "required": true,
          "content": {
            "multipart/form-data": {
              "schema": {
                "type": "object",
                "properties": {
                  "video": {
                    "type": "string",
                    "format": "binary",
                    "description": "the clip: any video ffmpeg reads (checked by content)"
                  },
                  "image": {
                    "type": "string",
                    "format": "binary",
                    "description": "or a portrait (PNG)"
                  },
                  "audio": {
                    "type": "string",
                    "format": "binary",
                    "description": "the speech (WAV or anything ffmpeg reads), muxed into the output; features are computed from it without hubert"
                  },
                  "hubert": {
                    "type": "string",
                    "format": "binary",
                    "description": "Hubert features .npy [25, T, 1024] or [1, 25, T, 1024] at 50 Hz"
                  },
                  \#(optionFields)
                  "speaker": {
                    "oneOf": [
                      {
                        "type": "integer",
                        "minimum": 0
                      },
                      {
                        "type": "string",
                        "enum": [
                          "auto"
                        ]
                      }
                    ],
                    "description": "--speaker K|auto: dub face K from the left, or auto: in each shot the face whose lips follow the video's own audio best (SyncNet; needs a video with audio and the server's --syncnet-model, else 400) (default: the widest face)"
                  }
                },
                "additionalProperties": false
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "The job, queued",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Job"
                }
              }
            }
          },
          "400": {
            "description": "A missing, unreadable or wrong upload, an unknown field or a bad option value; no job was created",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "413": {
            "description": "The upload is larger than --max-upload-mb; no job was created",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "429": {
            "description": "--max-queued-jobs jobs are queued already",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "507": {
            "description": "The data folder is at --max-disk-gb",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      }
    },
    "/api/jobs/{id}": {
      "parameters": [
        {
          "$ref": "#/components/parameters/JobID"
        }
      ],
      "get": {
        "summary": "One job",
        "responses": {
          "200": {
            "description": "The job",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Job"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          }
        }
      },
      "delete": {
        "summary": "Delete a job and its files (a running job stops first)",
        "responses": {
          "204": {
            "description": "Deleted"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          }
        }
      }
    },
    "/api/jobs/{id}/cancel": {
      "parameters": [
        {
          "$ref": "#/components/parameters/JobID"
        }
      ],
      "post": {
        "summary": "Cancel a queued or running job",
        "responses": {
          "202": {
            "description": "Cancelled (a running job stops at its next step)",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Job"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          }
        }
      }
    },
    "/api/jobs/{id}/events": {
      "parameters": [
        {
          "$ref": "#/components/parameters/JobID"
        }
      ],
      "get": {
        "summary": "Server-sent events: `job` with the job's JSON at once and on every change, until a final state; `deleted` when deleted",
        "responses": {
          "200": {
            "description": "The event stream",
            "content": {
              "text/event-stream": {
                "schema": {
                  "type": "string"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          }
        }
      }
    },
    "/api/jobs/{id}/preview.png": {
      "parameters": [
        {
          "$ref": "#/components/parameters/JobID"
        }
      ],
      "get": {
        "summary": "The tracked faces: frames with the face square and mouth mask drawn (after preparation)",
        "responses": {
          "200": {
            "description": "The preview strip",
            "content": {
              "image/png": {
                "schema": {
                  "type": "string",
                  "format": "binary"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          }
        }
      }
    },
    "/api/jobs/{id}/frame.png": {
      "parameters": [
        {
          "$ref": "#/components/parameters/JobID"
        }
      ],
      "get": {
        "summary": "The latest rendered frame (model resolution) while the job renders",
        "responses": {
          "200": {
            "description": "The frame",
            "content": {
              "image/png": {
                "schema": {
                  "type": "string",
                  "format": "binary"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          }
        }
      }
    },
    "/api/jobs/{id}/output": {
      "parameters": [
        {
          "$ref": "#/components/parameters/JobID"
        }
      ],
      "get": {
        "summary": "The dubbed MP4, once done",
        "responses": {
          "200": {
            "description": "The output",
            "content": {
              "video/mp4": {
                "schema": {
                  "type": "string",
                  "format": "binary"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          }
        }
      }
    }
  },
  "components": {
    "securitySchemes": {
      "bearerAuth": {
        "type": "http",
        "scheme": "bearer"
      },
      "tokenQuery": {
        "type": "apiKey",
        "in": "query",
        "name": "token"
      }
    },
    "parameters": {
      "JobID": {
        "name": "id",
        "in": "path",
        "required": true,
        "description": "A job id (16 hex digits)",
        "schema": {
          "type": "string"
        }
      }
    },
    "responses": {
      "Unauthorized": {
        "description": "The token is missing or wrong (only with --token)",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Error"
            }
          }
        }
      },
      "NotFound": {
        "description": "No job with this id",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Error"
            }
          }
        }
      },
      "Conflict": {
        "description": "Not possible in the job's state",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Error"
            }
          }
        }
      }
    },
    "schemas": {
      "Error": {
        "type": "object",
        "required": [
          "error"
        ],
        "properties": {
          "error": {
            "type": "string"
          }
        }
      },
      "Health": {
        "type": "object",
        "required": [
          "status"
        ],
        "properties": {
          "status": {
            "type": "string",
            "enum": [
              "ok"
            ]
          }
        }
      },
      "JobList": {
        "type": "object",
        "required": [
          "jobs"
        ],
        "properties": {
          "jobs": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Job"
            }
          }
        }
      },
      "Progress": {
        "type": "object",
        "required": [
          "stage",
          "completed",
          "total",
          "step",
          "steps",
          "eta_s"
        ],
        "properties": {
          "stage": {
            "type": "string",
            "nullable": true
          },
          "completed": {
            "type": "integer"
          },
          "total": {
            "type": "integer"
          },
          "step": {
            "type": "integer",
            "nullable": true
          },
          "steps": {
            "type": "integer",
            "nullable": true
          },
          "eta_s": {
            "type": "number",
            "nullable": true
          }
        }
      },
      "Options": {
        "type": "object",
        "required": [
          "steps",
          "sampler",
          "fit",
          "fps",
          "precision",
          "seed",
          "one_shot",
          "reference_frame",
          "speaker"
        ],
        "properties": {
          \#(optionFields)
          "speaker": {
            "oneOf": [
              {
                "type": "integer",
                "minimum": 0,
                "nullable": true
              },
              {
                "type": "string",
                "enum": [
                  "auto"
                ]
              }
            ],
            "description": "--speaker K|auto: face K from the left, \"auto\" (the speaking face of each shot, see the job's speakers), or null (the widest face)"
          }
        }
      },
      "Job": {
        "type": "object",
        "required": [
          "id",
          "status",
          "progress",
          "error",
          "resumed_frames",
          "created",
          "options",
          "inputs",
          "render_started",
          "speakers"
        ],
        "properties": {
          "id": {
            "type": "string"
          },
          "status": {
            "type": "string",
            "enum": [
              "queued",
              "preparing",
              "rendering",
              "finishing",
              "done",
              "failed",
              "cancelled"
            ]
          },
          "progress": {
            "$ref": "#/components/schemas/Progress"
          },
          "error": {
            "type": "string",
            "nullable": true
          },
          "resumed_frames": {
            "type": "integer"
          },
          "created": {
            "type": "string",
            "format": "date-time"
          },
          "options": {
            "$ref": "#/components/schemas/Options"
          },
          "inputs": {
            "type": "object",
            "additionalProperties": {
              "type": "string"
            },
            "description": "the uploads' file names by field"
          },
          "render_started": {
            "type": "boolean"
          },
          "speakers": {
            "type": "array",
            "nullable": true,
            "items": {
              "$ref": "#/components/schemas/SpeakerShot"
            },
            "description": "with speaker auto: the face dubbed in each shot, once the job's preparation chose them (else null)"
          }
        }
      },
      "SpeakerShot": {
        "type": "object",
        "required": [
          "start_frame",
          "end_frame",
          "face",
          "line"
        ],
        "properties": {
          "start_frame": {
            "type": "integer",
            "description": "the shot's first frame (25 fps)"
          },
          "end_frame": {
            "type": "integer",
            "description": "the frame after its last"
          },
          "face": {
            "type": "integer",
            "description": "the face dubbed, counted from the left"
          },
          "line": {
            "type": "string",
            "description": "what dub --speaker auto prints for the shot: speaker: shot S (frames A..<B): face F of N (LSE-C C)"
          }
        }
      }
    }
  }
}
"""#
}
