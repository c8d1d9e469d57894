# frozen_string_literal: true

module Pwcheck
  VERSION = "0.1.0"
end
